package store

import (
	"context"
	"fmt"
	"strings"
)

// RefreshClientSearchChunkedForTest indexes the queue refreshChunk clients
// a transaction, as RefreshClientSearch does when the index is not empty
// (never the bulk path).
func RefreshClientSearchChunkedForTest(ctx context.Context, s *Store) (int, error) {
	total := 0
	for {
		n := 0
		err := s.write(ctx, func(tx *Tx) error {
			var err error
			n, err = tx.indexQueued()
			return err
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// ClientSearchDumpForTest returns the client search index as text: one
// line per indexed client (digests and packed keys) and per filed key,
// by PersonalID (not the index's own IDs).
func ClientSearchDumpForTest(ctx context.Context, s *Store) (string, error) {
	var out strings.Builder
	rows, err := s.rdb.QueryContext(ctx, `SELECT personal_id, ssn_digest, ssn4_digest, index_keys FROM client_search ORDER BY personal_id`)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var pid, d, d4 string
		var keys []byte
		if err := rows.Scan(&pid, &d, &d4, &keys); err != nil {
			rows.Close()
			return "", err
		}
		fmt.Fprintf(&out, "client %s %s %s %x\n", pid, d, d4, keys)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	rows, err = s.rdb.QueryContext(ctx, `SELECT cs.personal_id, k.k FROM client_search_keys k JOIN client_search cs ON cs.id = k.client_id ORDER BY cs.personal_id, k.k`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		var k int64
		if err := rows.Scan(&pid, &k); err != nil {
			return "", err
		}
		fmt.Fprintf(&out, "key %s %d\n", pid, k)
	}
	return out.String(), rows.Err()
}
