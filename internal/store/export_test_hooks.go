package store

import "context"

// ExecForTest runs a raw statement on the write connection. Only
// storetest calls it, to build states the API refuses to create.
func ExecForTest(s *Store, query string, args ...any) error {
	_, err := s.wdb.ExecContext(context.Background(), s.d.rebind(query), args...)
	return err
}
