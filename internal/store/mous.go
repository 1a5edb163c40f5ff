package store

import (
	"context"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// MOU is an MOU agreement between organizations (issue 6 item 3): each
// grant lets releases of From's clients that name the agreement share
// with To. A two-way agreement has both directions.
type MOU struct {
	ID     string
	Name   string
	Grants []MOUGrant
}

// TwoWay reports whether every grant of the agreement has its reverse.
func (m MOU) TwoWay() bool {
	if len(m.Grants) == 0 {
		return false
	}
	for _, g := range m.Grants {
		found := false
		for _, h := range m.Grants {
			if h.From == g.To && h.To == g.From {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ListMOUs returns every MOU agreement with its grants, by name. The
// agreements hold no client data (the release form lists them for the
// user to choose), but an actor is still required, like every read.
func (s *Store) ListMOUs(ctx context.Context) ([]MOU, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []MOU
	err := s.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(`SELECT id, name FROM mous ORDER BY name, id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m MOU
			if err := rows.Scan(&m.ID, &m.Name); err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			rows, err := tx.query(`SELECT from_org, to_org FROM mou_grants WHERE mou_id = ? ORDER BY from_org, to_org`, out[i].ID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var g MOUGrant
				if err := rows.Scan(&g.From, &g.To); err != nil {
					rows.Close()
					return err
				}
				out[i].Grants = append(out[i].Grants, g)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
