package store

import "context"

// ExecForTest runs a raw statement on the write connection. Only
// storetest calls it, to build states the API refuses to create.
func ExecForTest(s *Store, query string, args ...any) error {
	_, err := s.wdb.ExecContext(context.Background(), s.d.rebind(query), args...)
	return err
}

// QueryStringForTest reads one string column directly ("" for NULL), for
// tests that check what is stored (an SSN sealed, not in clear).
func QueryStringForTest(s *Store, query string, args ...any) (string, error) {
	var v *string
	err := s.rdb.QueryRowContext(context.Background(), s.d.rebind(query), args...).Scan(&v)
	if v == nil {
		return "", err
	}
	return *v, err
}
