package dashboard

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"jinwei/warehouse"
)

// schemaNotesFile holds the schema browser's notes in the language the engine's are not
// written in (see the file).
//
//go:embed schema_notes.toml
var schemaNotesFile []byte

// schemaNotes are those notes by language, then by "table" or "table.column".
var schemaNotes = sync.OnceValues(func() (map[string]map[string]string, error) {
	notes := map[string]map[string]string{}
	if err := toml.Unmarshal(schemaNotesFile, &notes); err != nil {
		return nil, fmt.Errorf("schema_notes.toml: %w", err)
	}
	return notes, nil
})

// schemaInLang is schema with each table's and column's note in lang where the notes file
// gives one, the engine's own note otherwise.
func schemaInLang(schema []warehouse.SchemaTable, lang string) ([]warehouse.SchemaTable, error) {
	notes, err := schemaNotes()
	if err != nil {
		return nil, err
	}
	out := slices.Clone(schema)
	for i := range out {
		t := &out[i]
		if n, ok := notes[lang][t.Name]; ok {
			t.Comment = n
		}
		t.Columns = slices.Clone(t.Columns)
		for j := range t.Columns {
			if n, ok := notes[lang][t.Name+"."+t.Columns[j].Name]; ok {
				t.Columns[j].Comment = n
			}
		}
	}
	return out, nil
}
