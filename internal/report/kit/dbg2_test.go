package kit

import (
	"fmt"
	"os"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
)

func TestDebugAges(t *testing.T) {
	if os.Getenv("DBG_AGES") == "" {
		t.Skip()
	}
	ds := kitData(t)
	start, end := hmis.MustDate("2021-10-01"), hmis.MustDate("2022-09-30")
	u := report.NewUniverse(ds, report.Params{ProjectIDs: []string{os.Getenv("DBG_AGES")}, Start: start, End: end})
	bounds := []int{4, 12, 17, 24, 34, 44, 54, 61}
	rules := map[string]func(c *report.Client) hmis.Date{
		"glossary": func(c *report.Client) hmis.Date {
			if c.Enrollment.EntryDate.After(start) {
				return c.Enrollment.EntryDate
			}
			return start
		},
		"start": func(c *report.Client) hmis.Date { return start },
		"end":   func(c *report.Client) hmis.Date { return end },
		"entry": func(c *report.Client) hmis.Date { return c.Enrollment.EntryDate },
		"exitorend": func(c *report.Client) hmis.Date {
			if c.Exit != nil {
				return c.ExitDate()
			}
			return end
		},
		"created": func(c *report.Client) hmis.Date { return hmis.DateOf(c.Enrollment.DateCreated) },
	}
	for name, f := range rules {
		hist := make([]int, len(bounds)+1)
		for _, c := range u.Clients {
			if c.Client == nil || c.Client.DOB.IsZero() {
				continue
			}
			a := c.Client.DOB.AgeOn(f(c))
			b := len(bounds)
			for i, x := range bounds {
				if a <= x {
					b = i
					break
				}
			}
			hist[b]++
		}
		fmt.Println(name, hist)
	}
}
