package store

import (
	"context"
	"database/sql"
)

// QueryRowForTest runs a raw query on the write connection (the
// duplicates tests count rows per client with it).
func QueryRowForTest(s *Store, query string, args ...any) *sql.Row {
	return s.wdb.QueryRowContext(context.Background(), s.d.rebind(query), args...)
}
