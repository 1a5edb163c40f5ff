package main

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
)

// benchmark is one `hearth bench` subject. Add others (import, ...) to
// benchmarks().
type benchmark struct {
	name, summary string
	run           func(ctx context.Context, e env, args []string) error
}

func benchmarks() []benchmark {
	return []benchmark{
		{"search", "client search: latency, recall@1/@5, duplicate-check flags, against a LIKE scan", runBenchSearch},
		{"import", "HMIS CSV import: records/s, wall time, peak memory, ratio to a parse-only pass (bench_import.go)", runBenchImport},
		{"export", "HMIS CSV export of a site: records/s, wall time, peak memory (bench_import.go)", runBenchExport},
	}
}

// hearth bench SUBJECT [flags]: measurements on a site (issue targets;
// docs/PERFORMANCE.md).
func runBench(ctx context.Context, e env, args []string) error {
	list := func() string {
		var b strings.Builder
		for _, bm := range benchmarks() {
			fmt.Fprintf(&b, "  %-8s %s\n", bm.name, bm.summary)
		}
		return b.String()
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(e.stdout, "Usage: hearth bench SUBJECT [flags]\n\n%s", list())
		if len(args) == 0 {
			return usagef("bench: say what to measure (see hearth bench -h)")
		}
		return nil
	}
	for _, bm := range benchmarks() {
		if bm.name == args[0] {
			return bm.run(ctx, e, args[1:])
		}
	}
	return usagef("bench: unknown subject %q (see hearth bench -h)", args[0])
}

// hearth bench search --site SITE [--queries N]: corrupts N clients of
// the site into queries (search.Corrupt: the stated corruption rates),
// runs them through the store's search as the system, and reports
// latency, recall@1 and @5, the duplicate check's flags on true and on
// distinct pairs, and the naive LIKE scan on the first --naive queries.
func runBenchSearch(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var queries, naive int
	var seed uint64
	fs := newFlagSet("bench search", "--site SITE [--queries N] [--naive N] [--seed S]")
	c.register(fs, true, false)
	fs.IntVar(&queries, "queries", 1000, "number of queries")
	fs.IntVar(&naive, "naive", 20, "queries also run as a LIKE scan (slow: a full scan each)")
	fs.Uint64Var(&seed, "seed", 1, "random seed for the sample and the corruptions")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("bench search: unexpected argument %q", rest[0])
	}
	if queries < 1 {
		return usagef("bench search: --queries must be positive")
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	st := site.Store
	out := e.stdout

	t0 := time.Now()
	n, err := st.RefreshClientSearch(ctx)
	if err != nil {
		return err
	}
	stats, err := st.ClientSearchStats(ctx)
	if err != nil {
		return err
	}
	total, err := store.CountRecords[hmis.Client](ctx, st, store.RecordFilter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "site %s (%s): %d clients; index: %d clients, %d keys (%.1f a client); refreshed %d in %s\n",
		site.Slug, st.Dialect(), total, stats.Indexed, stats.Keys, float64(stats.Keys)/max(float64(stats.Indexed), 1), n,
		time.Since(t0).Round(time.Millisecond))
	if total == 0 {
		return fmt.Errorf("bench search: site %s has no clients (hearth seed --site %s --clients N)", site.Slug, site.Slug)
	}

	// A random sample: personal IDs are random, so pages at random
	// offsets are random clients.
	rng := mrand.New(mrand.NewPCG(seed, 0x5eed))
	var people []search.Person
	seen := map[string]bool{}
	for tries := 0; len(people) < queries && tries < 4*queries/50+20; tries++ {
		page, err := store.FindRecords[hmis.Client](ctx, st, store.RecordFilter{Limit: 50, Offset: rng.IntN(max(total-50, 1))})
		if err != nil {
			return err
		}
		for _, c := range page {
			if !seen[c.PersonalID] && len(people) < queries {
				seen[c.PersonalID] = true
				people = append(people, search.Person{ID: c.PersonalID, First: c.FirstName, Middle: c.MiddleName, Last: c.LastName, DOB: c.DOB, SSN: c.SSN})
			}
		}
	}
	type result struct {
		cs      search.Case
		p       search.Person
		rank    int // 1-based; 0: not found
		latency time.Duration
	}
	var rs []result
	for _, p := range people {
		if cs, ok := search.Corrupt(rng, p); ok {
			rs = append(rs, result{cs: cs, p: p})
		}
	}
	if len(rs) == 0 {
		return fmt.Errorf("bench search: no sampled client has a name and a DOB or SSN")
	}
	now := st.Now()
	for i := range min(20, len(rs)) { // warm the cache
		if _, err := st.SearchClients(ctx, search.Parse(rs[i].cs.Text, now), 10); err != nil {
			return err
		}
	}
	var lat []time.Duration
	for i := range rs {
		r := &rs[i]
		start := time.Now()
		ms, err := st.SearchClients(ctx, search.Parse(r.cs.Text, now), 10)
		r.latency = time.Since(start)
		if err != nil {
			return fmt.Errorf("query %q: %w", r.cs.Text, err)
		}
		lat = append(lat, r.latency)
		for j, m := range ms {
			if m.PersonalID == r.p.ID {
				r.rank = j + 1
				break
			}
		}
	}
	at1, at5 := 0, 0
	missKinds := map[string]int{}
	var misses []string
	for _, r := range rs {
		if r.rank == 1 {
			at1++
		}
		if r.rank >= 1 && r.rank <= 5 {
			at5++
		} else {
			for _, k := range r.cs.Kinds {
				missKinds[k]++
			}
			if len(misses) < 5 {
				misses = append(misses, fmt.Sprintf("%q for %s %s %s", r.cs.Text, r.p.First, r.p.Last, r.p.DOB))
			}
		}
	}
	q := len(rs)
	fmt.Fprintf(out, "queries: %d (%d sampled clients; those without a name, or without both DOB and SSN, skipped)\n", q, len(people))
	fmt.Fprintf(out, "latency: p50 %s, p95 %s, p99 %s, max %s (each search includes its audit write)\n",
		pct(lat, 50), pct(lat, 95), pct(lat, 99), pct(lat, 100))
	slow := slices.Clone(rs)
	sort.Slice(slow, func(i, j int) bool { return slow[i].latency > slow[j].latency })
	for _, r := range slow[:min(3, len(slow))] {
		fmt.Fprintf(out, "  slow: %s %q\n", r.latency.Round(10*time.Microsecond), r.cs.Text)
	}
	fmt.Fprintf(out, "recall@1: %.1f%%  recall@5: %.1f%%\n", 100*float64(at1)/float64(q), 100*float64(at5)/float64(q))
	if len(missKinds) > 0 {
		fmt.Fprintf(out, "misses by corruption: %s\n", kindsLine(missKinds))
		for _, m := range misses {
			fmt.Fprintf(out, "  missed %s\n", m)
		}
	}

	// The duplicate check: each intake record against its true record,
	// and each client against the most similar other client.
	var key [32]byte
	rand.Read(key[:])
	dig := search.NewDigester(key[:])
	record := func(c search.Person) search.Record {
		r := search.Record{First: c.First, Middle: c.Middle, Last: c.Last, DOB: c.DOB}
		r.SSNDigest, r.SSN4Digest = dig.Digests(c.SSN)
		return r
	}
	flagged, distinct, falseFlags := 0, 0, 0
	for _, r := range rs {
		if s, _ := search.NewMatcher(r.cs.Intake, key[:]).Score(record(r.p), ""); s >= search.DuplicateThreshold {
			flagged++
		}
		if r.p.DOB.IsZero() {
			continue
		}
		ms, err := st.SearchClients(ctx, search.Query{First: r.p.First, Last: r.p.Last}, 10)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.PersonalID == r.p.ID {
				continue
			}
			other, err := store.FindRecordByID[hmis.Client](ctx, st, m.PersonalID)
			if err != nil {
				return err
			}
			self := search.Query{First: r.p.First, Last: r.p.Last, DOB: r.p.DOB}
			self.SSN, self.SSN4 = search.NormalizeSSN(r.p.SSN)
			distinct++
			if s, _ := search.NewMatcher(self, key[:]).Score(record(search.Person{First: other.FirstName, Middle: other.MiddleName,
				Last: other.LastName, DOB: other.DOB, SSN: other.SSN}), ""); s >= search.DuplicateThreshold {
				falseFlags++
			}
			break
		}
	}
	fmt.Fprintf(out, "duplicate check (score ≥ %.2f): flags %.1f%% of %d true duplicates, %.2f%% of %d distinct pairs with similar names\n",
		search.DuplicateThreshold, 100*float64(flagged)/float64(q), q, 100*float64(falseFlags)/float64(max(distinct, 1)), distinct)

	// The naive approach on the same data.
	if naive > 0 {
		var nlat []time.Duration
		nat5, nq := 0, 0
		for _, r := range rs[:min(naive, len(rs))] {
			pq := search.Parse(r.cs.Text, now)
			var words []string
			for _, n := range pq.Names {
				words = append(words, n.Parts...)
			}
			start := time.Now()
			ms, err := st.ScanClientsLike(ctx, words, hmis.Date{}, 5)
			nlat = append(nlat, time.Since(start))
			if err != nil {
				return err
			}
			nq++
			if slices.ContainsFunc(ms, func(m store.ClientMatch) bool { return m.PersonalID == r.p.ID }) {
				nat5++
			}
		}
		fmt.Fprintf(out, "naive LIKE scan of the name words (%d queries): p50 %s, p95 %s, recall@5 %.1f%%; indexed search is %.0fx faster at p50\n",
			nq, pct(nlat, 50), pct(nlat, 95), 100*float64(nat5)/float64(nq), float64(pct(nlat, 50))/float64(max(pct(lat, 50), 1)))
	}
	return nil
}

// pct returns the p-th percentile (nearest rank) of ds.
func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)].Round(10 * time.Microsecond)
}

func kindsLine(m map[string]int) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] || m[ks[i]] == m[ks[j]] && ks[i] < ks[j] })
	var parts []string
	for _, k := range ks {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
