// Package demo generates a realistic, HUD-valid demo Continuum of Care: the
// organizations, programs and grants of a fictional county, then any number
// of clients with their households, enrollments, exits and the records HUD
// asks programs to collect (income, health, disabilities, services, current
// living situations, coordinated entry assessments and events).
//
// Everything is drawn from one seeded PCG generator, in a fixed order, so the
// same seed gives the same content. Clients are generated and written in
// batches of a few thousand per transaction, so a million clients take
// minutes and memory stays flat.
//
// Record identifiers are deterministic too: a namespace hashed from the seed
// and the number of clients the site already has, a letter for the record
// kind and a counter. Running Populate again with the same seed therefore
// adds new clients with new identifiers instead of failing on duplicate
// keys, while two empty sites seeded alike get identical data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Options says what to generate.
type Options struct {
	Clients  int    // clients to add
	Seed     int64  // the same seed gives the same data
	CoCCode  string // e.g. "CA-510"; default "CA-510"
	Progress io.Writer
	// Today is the day the data leads up to: entries fall in the three
	// years before it. Zero means today (UTC).
	Today hmis.Date
	// BatchClients is how many clients go in one transaction; 0 means 5,000.
	BatchClients int
}

// Result is what one Populate call did.
type Result struct {
	LeadOrganizationID string
	Counts             Counts // what this call added
}

// DefaultCoC is the CoC code used when Options.CoCCode is empty.
const DefaultCoC = "CA-510"

var cocCode = regexp.MustCompile(`^[A-Z]{2}-[0-9]{3}$`)

// gen holds the state of one Populate call.
type gen struct {
	r      rng
	id     *ids
	today  hmis.Date
	cutoff time.Time // no timestamp at or after this (midnight of today)
	progs  []*program
	byType map[hud.ProjectType][]*program
	c      *Counts
	b      *store.Batch // the current batch
	err    error        // the first write error
}

// Populate adds o.Clients generated clients to the site, after creating the
// demo Continuum of Care when the site has no projects yet. ctx carries the
// actor (hmis.SystemActor).
func Populate(ctx context.Context, st *store.Store, o Options) (Result, error) {
	var res Result
	if o.Clients < 0 {
		return res, errors.New("demo: the number of clients cannot be negative")
	}
	if o.CoCCode = strings.ToUpper(strings.TrimSpace(o.CoCCode)); o.CoCCode == "" {
		o.CoCCode = DefaultCoC
	}
	if !cocCode.MatchString(o.CoCCode) {
		return res, fmt.Errorf("demo: %q is not a CoC code (like CA-510)", o.CoCCode)
	}
	today := o.Today
	if today.IsZero() {
		today = hmis.DateOf(time.Now().UTC())
	}
	c := &res.Counts
	users, err := ensureStaff(ctx, st, today, c)
	if err != nil {
		return res, fmt.Errorf("demo staff: %w", err)
	}
	projects, err := store.CountRecords[hmis.Project](ctx, st, store.RecordFilter{})
	if err != nil {
		return res, err
	}
	if projects == 0 {
		res.LeadOrganizationID, err = createCoC(ctx, st, o, today, users, c)
		if err == nil {
			err = writeHelpArticles(ctx, st) // support.go
		}
		if err == nil {
			err = serviceCatalogs(ctx, st) // service_catalog.go
		}
	} else {
		res.LeadOrganizationID, err = LeadOrganization(ctx, st)
	}
	if err != nil {
		return res, fmt.Errorf("demo CoC: %w", err)
	}
	if o.Clients == 0 {
		return res, nil
	}
	progs, err := loadCatalog(ctx, st, users, o.CoCCode, today)
	if err != nil {
		return res, err
	}
	existing, err := store.CountRecords[hmis.Client](ctx, st, store.RecordFilter{IncludeDeleted: true})
	if err != nil {
		return res, err
	}
	g := &gen{
		r:      newRNG(o.Seed, "hearth-demo-clients"),
		id:     newIDs("hearth-demo", strconv.FormatInt(o.Seed, 10), strconv.Itoa(existing)),
		today:  today,
		cutoff: today.Time(),
		progs:  progs,
		byType: map[hud.ProjectType][]*program{},
		c:      c,
	}
	for _, p := range progs {
		g.byType[p.ptype] = append(g.byType[p.ptype], p)
	}
	if err := g.run(ctx, st, o); err != nil {
		return res, err
	}
	// Each new client belongs to the organization of its earliest
	// enrollment's program (restricted to it, the default).
	if _, err := st.AssignClientOrganizations(ctx); err != nil {
		return res, err
	}
	// The bed board of the emergency shelters (housing.go).
	if err := setupHousing(ctx, st, progs); err != nil {
		return res, err
	}
	// Index the new clients for search now rather than on the first search.
	_, err = st.RefreshClientSearch(ctx)
	return res, err
}

// run writes o.Clients clients in batches.
func (g *gen) run(ctx context.Context, st *store.Store, o Options) error {
	batch := o.BatchClients
	if batch <= 0 {
		batch = 5000
	}
	start := time.Now()
	done, nextReport := 0, 50000
	for done < o.Clients {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := st.Batch(ctx, func(b *store.Batch) error {
			g.b = b
			for n := 0; n < batch && done < o.Clients; {
				k, err := g.household(o.Clients - done)
				if err != nil {
					return err
				}
				done += k
				n += k
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("demo clients: %w", err)
		}
		if o.Progress != nil && (done >= nextReport || done == o.Clients && o.Clients >= 50000) {
			fmt.Fprintf(o.Progress, "demo: %s of %s clients (%s)\n", thousands(done), thousands(o.Clients), time.Since(start).Round(time.Second))
			for nextReport <= done {
				nextReport += 50000
			}
		}
	}
	return nil
}

// household generates and writes one household of at most max clients and
// returns how many clients it added.
func (g *gen) household(max int) (int, error) {
	for range 50 {
		day := g.today.AddDays(-1 - g.r.IntN(3*365))
		h := g.newHousehold(day, max)
		stays := g.journey(h, day)
		if len(stays) == 0 {
			continue // no program takes this household then; draw another
		}
		g.writeHousehold(h, stays)
		return len(h.members), g.err
	}
	return 0, errors.New("demo: no program can enroll the generated households (check the projects' types, grants and CoC records)")
}

// add writes r in the current batch; the first error sticks in g.err.
func add[T store.Record](g *gen, r *T) {
	if g.err == nil {
		g.err = store.Add(g.b, r)
	}
}

// stamp returns a time of day on d for DateCreated/DateUpdated, during
// office hours, never at or after the cutoff.
func (g *gen) stamp(d hmis.Date) time.Time {
	t := at(d, 8+g.r.IntN(10), g.r.IntN(60)).Add(time.Duration(g.r.IntN(60)) * time.Second)
	if !t.Before(g.cutoff) {
		t = g.cutoff.Add(-time.Duration(1+g.r.IntN(3600)) * time.Second)
	}
	return t
}
