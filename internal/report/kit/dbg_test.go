package kit

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/apr"
)

func TestDebug(t *testing.T) {
	ids := strings.Fields(os.Getenv("DBG_PROJECTS"))
	if len(ids) == 0 {
		t.Skip()
	}
	ds := kitData(t)
	u := report.NewUniverse(ds, report.Params{ProjectIDs: ids, Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30")})
	for _, c := range u.Clients {
		e := c.Enrollment
		dob := ""
		if c.Client != nil {
			dob = c.Client.DOB.String()
		}
		fmt.Printf("%s enr=%s hh=%s rel=%d entry=%s exit=%s dob=%s age=%d hht=%d ch=%d own=%d youth=%v\n", c.PersonalID, e.EnrollmentID, e.HouseholdID, report.Code(e.RelationshipToHoH), e.EntryDate, c.ExitDate(), dob, c.Age, c.Household.Type, c.CH, c.OwnCH, c.Youth)
	}
}

func TestDebugTable(t *testing.T) {
	id := os.Getenv("DBG_TABLE")
	if id == "" {
		t.Skip()
	}
	ds := kitData(t)
	rep, err := apr.Run(ds, apr.Kind(os.Getenv("DBG_KIND")), report.Params{ProjectIDs: strings.Fields(os.Getenv("DBG_PROJECTS")), Start: hmis.MustDate("2021-10-01"), End: hmis.MustDate("2022-09-30"), CoC: "XX-501"})
	if err != nil {
		t.Fatal(err)
	}
	rep.Table(id).WriteCSV(os.Stdout)
	if os.Getenv("DBG_REFS") != "" {
		for _, r := range rep.Table(id).Rows {
			for j, c := range r.Cells {
				if len(c.Refs) > 0 {
					fmt.Println(r.Label, j, c.Refs)
				}
			}
		}
	}
}
