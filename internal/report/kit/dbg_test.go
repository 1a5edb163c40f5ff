package kit

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
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
