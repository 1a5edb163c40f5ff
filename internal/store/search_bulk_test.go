package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// The first indexing of an empty index (on SQLite all queued clients in
// one sorted pass, search_bulk.go) files exactly what the chunked refresh
// files: the same clients, digests and keys.
func TestRefreshClientSearch_BulkSameAsChunked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		firsts := []string{"Ann", "Bob", "José", "Mary Ann", "Li", ""}
		lasts := []string{"Smith", "O'Neil", "de la Cruz", "Nguyen", "Smith-Jones"}
		var cs []hmis.Client
		for i := range 2345 { // more than one refresh chunk and one page
			dob := ""
			if i%7 != 0 {
				dob = fmt.Sprintf("19%02d-%02d-%02d", 40+i%60, 1+i%12, 1+i%28)
			}
			ssn := ""
			if i%3 == 0 {
				ssn = fmt.Sprintf("%03d%02d%04d", 100+i%800, 10+i%89, 1000+i)
			}
			cs = append(cs, searchClient(fmt.Sprintf("b%05d", i), firsts[i%len(firsts)], lasts[i%len(lasts)]+strings.Repeat("x", i%3), dob, ssn))
		}
		if err := store.CreateRecords(ctx, s, cs); err != nil {
			t.Fatal(err)
		}
		if err := store.DeleteRecord[hmis.Client](ctx, s, "b00005"); err != nil {
			t.Fatal(err)
		}
		n, err := s.RefreshClientSearch(ctx)
		if err != nil || n != len(cs) {
			t.Fatalf("refresh: %d, %v; want %d", n, err, len(cs))
		}
		st, err := s.ClientSearchStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Indexed != len(cs)-1 || st.Queued != 0 || st.Keys == 0 {
			t.Fatalf("after the first refresh: %+v, want %d indexed, none queued", st, len(cs)-1)
		}
		bulk, err := store.ClientSearchDumpForTest(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if got := found(t, ctx, s, "Bob O'Neilx"); len(got) == 0 {
			t.Errorf("no match for a filed name after the first refresh")
		}

		// The same clients filed again, chunk by chunk.
		for _, q := range []string{`DELETE FROM client_search_keys`, `DELETE FROM client_search`,
			`INSERT INTO client_search_queue (personal_id) SELECT personal_id FROM clients`} {
			if err := store.ExecForTest(s, q); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := store.RefreshClientSearchChunkedForTest(ctx, s); err != nil || n != len(cs) {
			t.Fatalf("chunked refresh: %d, %v; want %d", n, err, len(cs))
		}
		chunked, err := store.ClientSearchDumpForTest(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if bulk != chunked {
			b, c := strings.Split(bulk, "\n"), strings.Split(chunked, "\n")
			for i := range min(len(b), len(c)) {
				if b[i] != c[i] {
					t.Fatalf("the indexes differ (%d and %d lines), first at line %d:\nbulk    %s\nchunked %s", len(b), len(c), i+1, b[i], c[i])
				}
			}
			t.Fatalf("the indexes differ: %d lines bulk, %d chunked", len(b), len(c))
		}
	})
}
