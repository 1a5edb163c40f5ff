package store

import (
	"context"
	"sort"
)

// Schema returns the database's tables and their columns (sorted), as the
// database itself reports them. A test compares the two dialects with it.
func (s *Store) Schema(ctx context.Context) (map[string][]string, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if s.d.name == dialectPostgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	out := map[string][]string{}
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t, c string
			if err := rows.Scan(&t, &c); err != nil {
				return err
			}
			out[t] = append(out[t], c)
		}
		return rows.Err()
	})
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out, err
}
