package dashboard

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"jinwei/warehouse"
)

// NewAccount is one account of a bulk import: a unit's staff member.
type NewAccount struct {
	// Unit is the reporting unit's code or one of its names (兰州市, 城关区人民政府, D03).
	Unit    string `json:"unit"`
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
	// Role is reporter when empty.
	Role string `json:"role,omitempty"`
}

// ImportError lists every line of an import that cannot be added; nothing was added.
type ImportError struct{ Lines []string }

func (e *ImportError) Error() string {
	return "nothing imported: " + strings.Join(e.Lines, "; ")
}

// maxImport bounds one import: the province's 108 units, a few people each.
const maxImport = 2000

// ImportUsers adds many accounts at once, each with a fresh password returned (in the
// order given) to be shown or written once. Every account is checked before any is added,
// so a file with one bad line adds none and says which lines are bad.
func (a *Accounts) ImportUsers(ctx context.Context, list []NewAccount) ([]Secret, error) {
	if len(list) == 0 || len(list) > maxImport {
		return nil, &ImportError{Lines: []string{fmt.Sprintf("%d accounts given; an import adds 1 to %d", len(list), maxImport)}}
	}
	var bad []string
	seen := map[string]int{}
	for i := range list {
		n := &list[i]
		n.Name, n.Contact, n.Unit = strings.TrimSpace(n.Name), strings.TrimSpace(n.Contact), strings.TrimSpace(n.Unit)
		if n.Role == "" {
			n.Role = RoleReporter
		}
		where := fmt.Sprintf("%d (%s)", i+1, n.Name)
		if len([]rune(n.Contact)) > 200 {
			bad = append(bad, where+": contact longer than 200 characters")
			continue
		}
		if n.Unit != "" {
			code, err := a.store.UnitByName(ctx, n.Unit)
			if err != nil {
				bad = append(bad, fmt.Sprintf("%s: unit %q: %v", where, n.Unit, ErrNoUnit))
				continue
			}
			n.Unit = code
		}
		if err := a.checkNew(ctx, n.Name, n.Role, n.Unit); err != nil {
			bad = append(bad, where+": "+err.Error())
			continue
		}
		if first, dup := seen[n.Name]; dup {
			bad = append(bad, fmt.Sprintf("%s: the same name as entry %d", where, first))
			continue
		}
		seen[n.Name] = i + 1
	}
	if len(bad) > 0 {
		return nil, &ImportError{Lines: bad}
	}
	out := make([]Secret, 0, len(list))
	for _, n := range list {
		password, hash, err := newPassword()
		if err != nil {
			return out, err
		}
		u := warehouse.Account{Name: n.Name, Role: n.Role, Unit: n.Unit, Contact: n.Contact, PasswordHash: hash, Source: "cli"}
		if err := a.put(ctx, u); err != nil {
			return out, fmt.Errorf("import account %s (after %d added): %w", n.Name, len(out), err)
		}
		out = append(out, Secret{Name: n.Name, Role: n.Role, Unit: n.Unit, Password: password})
	}
	return out, nil
}

// ReadAccountsCSV reads a bulk import's CSV: a header naming the columns unit (单位), name
// (姓名/账号) and contact (联系方式), in any order, then one account a line. A BOM is skipped.
func ReadAccountsCSV(r io.Reader) ([]NewAccount, error) {
	cr := csv.NewReader(io.LimitReader(r, 4<<20))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read the header: %w", err)
	}
	col := map[string]int{}
	names := map[string]string{"unit": "unit", "单位": "unit", "单位代码": "unit", "单位名称": "unit",
		"name": "name", "姓名": "name", "账号": "name", "contact": "contact", "联系方式": "contact", "电话": "contact", "role": "role", "角色": "role"}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if c, ok := names[strings.ToLower(h)]; ok {
			col[c] = i
		}
	}
	if _, ok := col["unit"]; !ok {
		return nil, errors.New("the header names no unit column (unit or 单位)")
	}
	if _, ok := col["name"]; !ok {
		return nil, errors.New("the header names no name column (name, 姓名 or 账号)")
	}
	cell := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []NewAccount
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the accounts: %w", err)
		}
		if len(out) >= maxImport {
			return nil, fmt.Errorf("more than %d accounts in one file", maxImport)
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		out = append(out, NewAccount{Unit: cell(rec, "unit"), Name: cell(rec, "name"), Contact: cell(rec, "contact"), Role: strings.TrimSpace(cell(rec, "role"))})
	}
}
