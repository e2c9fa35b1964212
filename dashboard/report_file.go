package dashboard

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// A unit may send its month's report as a file in the monthly report's layout (the one the
// ETL loads the province's campaign files with) instead of typing it. The file is the
// unit's report, as a file sent to the province always was: read with the ETL's campaign
// reader, its own unit's values of the month are checked by the form's rules and submitted
// as a new revision at once (channel file, the file's name and SHA-256 in the history);
// there is no second step to forget on a phone. Anything wrong with those values submits
// nothing, and the page shows the file's values in the form with each error beside its
// field, to be corrected there or in the file. Rows of other units or months are refused,
// each with its line and why, and nothing of them is stored. A file that is not the type
// its name says, too large or unreadable changes nothing.

// ReportFiles reads a unit's own file in the monthly report's layout; cmd wires the ETL's
// campaign reader (etl.ReportFileReader), so the dashboard never imports etl.
type ReportFiles interface {
	// ReadReportFile reads data, of format csv, xlsx or xls, named name by its sender.
	ReadReportFile(ctx context.Context, name, format string, data []byte) ([]warehouse.ReportFileRow, error)
}

// MaxReportFileBytes caps a unit's report file: a unit's month is one row, and the
// province's whole monthly file is a few tens of kilobytes.
const MaxReportFileBytes = 1 << 20

// maxRefusedShown caps the refused rows a page lists (the audit log counts them all).
const maxRefusedShown = 50

func init() {
	routeLimits["/report/:unit/:month/file"] = routeLimit{body: MaxReportFileBytes + 64<<10, multipart: true}
}

// reportFileRefusals are why a sent file's type is refused; the label rfile_WHY says it.
var reportFileRefusals = []string{"too_large", "empty", "zip", "name_mismatch", "bad_type"}

// reportFileKinds are the file types taken: format, the extensions a name may have.
var reportFileKinds = []struct {
	format string
	exts   []string
}{
	{"csv", []string{".csv", ".txt"}},
	{"xlsx", []string{".xlsx"}},
	{"xls", []string{".xls"}},
}

// oleMagic starts a legacy Excel (.xls) workbook, a Compound File.
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// reportFile is a sent file whose type its content proves.
type reportFile struct {
	name, format, sha256 string
	data                 []byte
}

// checkReportFile reads one sent file (at most MaxReportFileBytes of it) and says which of
// the taken types its content is, refusing a content its name's extension does not say.
func checkReportFile(name string, r io.Reader) (reportFile, error) {
	f := reportFile{name: cleanFileName(name)}
	data, err := io.ReadAll(io.LimitReader(r, MaxReportFileBytes+1))
	if err != nil {
		return f, fmt.Errorf("read report file %q: %w", name, err)
	}
	ext := strings.ToLower(filepath.Ext(f.name))
	var format string
	switch {
	case len(data) > MaxReportFileBytes:
		return f, &attachmentError{"too_large", f.name}
	case len(data) == 0:
		return f, &attachmentError{"empty", f.name}
	case bytes.HasPrefix(data, zipLocal):
		if ext != ".xlsx" || !isWorkbook(data) {
			return f, &attachmentError{"zip", f.name}
		}
		format = "xlsx"
	case bytes.HasPrefix(data, oleMagic):
		format = "xls"
	case isText(data):
		format = "csv"
	default:
		return f, &attachmentError{"bad_type", f.name}
	}
	for _, k := range reportFileKinds {
		if k.format == format && !slices.Contains(k.exts, ext) {
			return f, &attachmentError{"name_mismatch", f.name}
		}
	}
	sum := sha256.Sum256(data)
	f.format, f.data, f.sha256 = format, data, hex.EncodeToString(sum[:])
	return f, nil
}

// isWorkbook says whether a ZIP archive is an Excel workbook: it names its content types and
// holds a workbook part. Any other archive renamed .xlsx is refused as a ZIP.
func isWorkbook(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	var types, book bool
	for _, f := range zr.File {
		switch f.Name {
		case "[Content_Types].xml":
			types = true
		case "xl/workbook.xml":
			book = true
		}
	}
	return types && book
}

// isText says whether data is a text table: UTF-16 with its byte order mark (Excel's
// "Unicode text"), or 8-bit text (UTF-8, GBK) with no control byte other than tab and line
// breaks. Images, PDFs, archives and programs all hold such bytes near their start.
func isText(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return len(data)%2 == 0
	}
	for _, b := range data {
		if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f {
			return false
		}
	}
	return true
}

// fileRefusal is a row of a sent file that was not taken, and why.
type fileRefusal struct {
	Line     int    `json:"line"`
	Location string `json:"location,omitempty"`
	Why      string `json:"why"`
}

// splitFileRows keeps the rows of unit's month as form values (field key → text) and
// refuses every other row with its reason, in the page's language. A field the file gives
// twice with different values is a conflict (field key → why): which value is meant cannot
// be told, so the file submits nothing.
func splitFileRows(rows []warehouse.ReportFileRow, u warehouse.Unit, month, lang string) (map[string]string, []fileRefusal, map[string]string) {
	values := map[string]string{}
	seen := map[string]int{}
	conflicts := map[string]string{}
	var refused []fileRefusal
	for _, r := range rows {
		key := r.Metric
		if r.Category > 0 {
			key += ":" + strconv.Itoa(r.Category)
		}
		// A row of the file is read as one value per column: another unit's or month's row is
		// refused once, as a row; a problem of one cell, at its cell.
		ref := fileRefusal{Line: r.Line}
		switch {
		case r.Problem != "":
			ref.Location, ref.Why = r.Location, fmt.Sprintf(t(lang, "rfile_row_bad"), saidIn(lang, r.Problem, r.ProblemZh))
		case r.UnitCode != u.Code:
			ref.Why = fmt.Sprintf(t(lang, "rfile_row_other_unit"), r.UnitName, r.UnitCode, unitName(u, lang))
		case r.Month != month:
			ref.Why = fmt.Sprintf(t(lang, "rfile_row_other_month"), r.Month, month)
		case seen[key] > 0 && strings.TrimSpace(r.Value) != strings.TrimSpace(values[key]):
			if _, ok := conflicts[key]; !ok {
				conflicts[key] = fmt.Sprintf(t(lang, "rfile_row_conflict"), seen[key], r.Line)
			}
			ref.Location, ref.Why = r.Location, fmt.Sprintf(t(lang, "rfile_row_conflict"), seen[key], r.Line)
		case seen[key] > 0:
			ref.Location, ref.Why = r.Location, fmt.Sprintf(t(lang, "rfile_row_duplicate"), seen[key])
		default:
			seen[key] = r.Line
			values[key] = r.Value
			continue
		}
		if n := len(refused); n > 0 && refused[n-1] == ref {
			continue
		}
		refused = append(refused, ref)
	}
	return values, refused, conflicts
}

// FileResult answers a unit's file: the revision it became, or why nothing was submitted,
// and the rows refused either way.
type FileResult struct {
	File     string            `json:"file"`
	SHA256   string            `json:"sha256,omitempty"`
	Revision int               `json:"revision,omitempty"`
	Error    string            `json:"error,omitempty"`
	Errors   map[string]string `json:"errors,omitempty"`
	Refused  []fileRefusal     `json:"refused,omitempty"`
	// RefusedCount is every refused row; Refused lists the first maxRefusedShown.
	RefusedCount int `json:"refused_count"`
}

// reportFileUpload takes a unit's own file on its report page (multipart field "file") and
// submits its values, or shows why not; the answer is the report page.
func (s *Server) reportFileUpload(c echo.Context) error {
	u, month, err := s.reportTarget(c)
	if err != nil {
		return err
	}
	if s.cfg.ReportFiles == nil {
		return echo.NewHTTPError(http.StatusNotFound, "files are not taken on this server")
	}
	lang := pageLang(c)
	parts, err := multipartParts(c)
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, err.Error())
	}
	var f reportFile
	var sent bool
	for !sent {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "read the form: "+err.Error())
		}
		if p.FormName() == "file" && p.FileName() != "" {
			f, err = checkReportFile(p.FileName(), p)
			var ae *attachmentError
			switch {
			case errors.As(err, &ae):
				msg := fmt.Sprintf(t(lang, "rfile_"+ae.why), f.name)
				if ae.why == "too_large" {
					msg = fmt.Sprintf(t(lang, "rfile_too_large"), f.name, MaxReportFileBytes>>20)
				}
				return s.refuseReportFile(c, u, month, FileResult{File: f.name, Error: msg}, nil)
			case err != nil:
				return echo.NewHTTPError(http.StatusBadRequest, err.Error())
			}
			sent = true
		}
		_ = p.Close()
	}
	if !sent {
		return s.refuseReportFile(c, u, month, FileResult{Error: t(lang, "rfile_missing")}, nil)
	}
	res := FileResult{File: f.name, SHA256: f.sha256}
	rows, err := s.cfg.ReportFiles.ReadReportFile(c.Request().Context(), f.name, f.format, f.data)
	if err != nil {
		res.Error = fmt.Sprintf(t(lang, "rfile_unreadable"), f.name, errorIn(lang, err))
		return s.refuseReportFile(c, u, month, res, nil)
	}
	values, refused, conflicts := splitFileRows(rows, u, month, lang)
	res.RefusedCount = len(refused)
	res.Refused = refused[:min(len(refused), maxRefusedShown)]
	if len(values) == 0 {
		res.Error = fmt.Sprintf(t(lang, "rfile_none_own"), f.name, unitName(u, lang), month)
		return s.refuseReportFile(c, u, month, res, nil)
	}
	if len(conflicts) > 0 {
		defs, err := s.store.CampaignMetrics(c.Request().Context())
		if err != nil {
			return err
		}
		fields := reportFields(defs, lang)
		_, _ = checkValues(fields, values, defs, false, lang)
		for i := range fields {
			if why, ok := conflicts[fields[i].Key]; ok {
				fields[i].Error = why
			}
		}
		res.Error, res.Errors = t(lang, "report_fix_fields"), conflicts
		return s.refuseReportFile(c, u, month, res, fields)
	}
	rev, fields, err := s.submit(c, u, month, values, submittedFile{name: f.name, sha256: f.sha256, refused: len(refused)})
	switch {
	case errors.Is(err, errFormFields), errors.Is(err, errUnknownField):
		res.Error, res.Errors = t(lang, "report_fix_fields"), map[string]string{}
		for _, fl := range fields {
			if fl.Error != "" {
				res.Errors[fl.Key] = fl.Error
			}
		}
		return s.refuseReportFile(c, u, month, res, fields)
	case err != nil:
		return err
	}
	res.Revision = rev
	v, err := s.reportView(c, u, month)
	if err != nil {
		return err
	}
	if wantsJSON(c) {
		return c.JSON(http.StatusOK, res)
	}
	return s.renderReportPage(c, http.StatusOK, v, reportOutcome{submitted: rev, file: &res})
}

// refuseReportFile answers a file that submitted nothing: 422 with why, the audit entry
// saying so, and the page showing the file's values beside their errors when it had any.
func (s *Server) refuseReportFile(c echo.Context, u warehouse.Unit, month string, res FileResult, fields []ReportField) error {
	what := fmt.Sprintf("submit report %s %s from file %q (sha256 %s): refused: %s", u.Code, month, res.File, res.SHA256, res.Error)
	s.audit(c, warehouse.AuditEntry{Action: warehouse.AuditReport, Statement: what, Outcome: "refused", Message: res.Error})
	if wantsJSON(c) {
		return c.JSON(http.StatusUnprocessableEntity, res)
	}
	v, err := s.reportView(c, u, month)
	if err != nil {
		return err
	}
	if fields != nil {
		v.Fields = fields
	}
	return s.renderReportPage(c, http.StatusUnprocessableEntity, v, reportOutcome{file: &res})
}

// wantsJSON says the caller asked for JSON (a script) rather than the page.
func wantsJSON(c echo.Context) bool {
	return c.QueryParam("format") == "json"
}

// submittedFile is the file a submission's values came from; zero for the form.
type submittedFile struct {
	name, sha256 string
	refused      int
}
