package transfer

import (
	"strings"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// SourceKey returns the key of the source an export comes from: the
// --source name when given, else Export.SourceID and Export.SourceName.
// Each part is trimmed, lower-cased and its inner spaces collapsed, so
// "Old HMIS" and " old  hmis" are one source. Every imported record's ID
// depends on the key (docs/hmis-csv-ids.md); "" means the export names
// no source.
func SourceKey(override string, h hmis.Export) string {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	if k := norm(override); k != "" {
		return k
	}
	id, name := norm(h.SourceID), norm(h.SourceName)
	if id == "" && name == "" {
		return ""
	}
	return id + "/" + name
}

// idMapper maps a source's HUD IDs to Hearth's (store.SourceRecordID).
// Its mapRecord, which knows every ID column of every record type, is
// generated from the spec into ids_gen.go (go generate ./internal/hud).
type idMapper struct{ key string }

// id maps one ID of the given kind in place; an empty ID stays empty.
func (m idMapper) id(p *string, kind string) {
	if *p != "" {
		*p = store.SourceRecordID(m.key, kind, *p)
	}
}
