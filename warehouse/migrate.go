package warehouse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	jsql "jinwei/sql"
)

// Migration is one file of sql/migrations.
type Migration struct {
	Version    int
	Name       string
	Checksum   string
	Statements []string
}

// Migrations reads the embedded migration files in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(jsql.Migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || path.Ext(name) != ".sql" {
			return nil, fmt.Errorf("migration %s: name must be NNN_name.sql", name)
		}
		b, err := fs.ReadFile(jsql.Migrations, "migrations/"+name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		sum := sha256.Sum256(b)
		out = append(out, Migration{
			Version:    v,
			Name:       strings.TrimSuffix(name, ".sql"),
			Checksum:   hex.EncodeToString(sum[:]),
			Statements: splitStatements(string(b)),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

// splitStatements splits a migration at semicolons that end a line, dropping comment-only
// chunks. Migration files keep to that shape so no SQL parser is needed here.
func splitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := cleanStatement(cur.String()); s != "" {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := cleanStatement(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

func cleanStatement(s string) string {
	var kept []string
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
			kept = append(kept, line)
		}
	}
	return strings.TrimSuffix(strings.TrimSpace(strings.Join(kept, "\n")), ";")
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY version`

// Migrate applies the migrations not yet recorded in schema_migrations, in order, and
// returns the names it applied. Each statement is idempotent, so a migration interrupted
// half way is simply run again. A recorded migration whose file has changed is an error:
// released migrations are never edited, only followed by new ones.
func (w *Warehouse) Migrate(ctx context.Context) ([]string, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	if err := w.execDDL(ctx, migrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := w.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	// A migration that fails part way may have changed rows (004 fills a table): this
	// process's cached results go whatever happens.
	defer w.cache.invalidate()
	var done []string
	for _, m := range all {
		if sum, ok := applied[m.Version]; ok {
			if sum != m.Checksum {
				return done, fmt.Errorf("migration %s was changed after it was applied (checksum %s, recorded %s)", m.Name, m.Checksum[:12], sum[:12])
			}
			continue
		}
		for i, stmt := range m.Statements {
			if err := w.execDDL(ctx, stmt); err != nil {
				return done, fmt.Errorf("migration %s statement %d: %w", m.Name, i+1, err)
			}
		}
		err := w.eng.exec(ctx, "INSERT INTO schema_migrations (version, name, checksum) SELECT {v:UInt32}, {n:String}, {c:String}",
			Params{"v": strconv.Itoa(m.Version), "n": m.Name, "c": m.Checksum})
		if err != nil {
			return done, fmt.Errorf("record migration %s: %w", m.Name, err)
		}
		done = append(done, m.Name)
	}
	// The data_version table exists now (migration 007); writes before it changed only this
	// process's cache.
	w.version.absent.Store(false)
	if len(done) > 0 {
		if err := w.dataChanged(ctx); err != nil {
			return done, err
		}
	}
	return done, nil
}

// appliedMigrations maps version to checksum of what schema_migrations records.
func (w *Warehouse) appliedMigrations(ctx context.Context) (map[int]string, error) {
	res, err := w.eng.query(ctx, "SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version", nil)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	applied := map[int]string{}
	err = res.each(func(rr *rowReader) { applied[rr.int("version")] = rr.str("checksum") })
	return applied, err
}

// PendingMigrations names the migrations the warehouse has not applied yet.
func (w *Warehouse) PendingMigrations(ctx context.Context) ([]string, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	if err := w.execDDL(ctx, migrationsTable); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := w.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	var pending []string
	for _, m := range all {
		if _, ok := applied[m.Version]; !ok {
			pending = append(pending, m.Name)
		}
	}
	return pending, nil
}
