package report

import "github.com/hearth-hmis/hearth/internal/hud"

// SituationCodes maps the FY2026 shells' living situation and destination
// row labels (Q15, Q23c, Q25i, Q27d, Q27f1) to the 3.12.1 / 3.917.1 codes
// they count. Rows not here are headings, subtotals or totals.
var SituationCodes = map[string][]int{
	"Place not meant for habitation":             {116},
	"Emergency shelter":                          {101},
	"Safe Haven":                                 {118},
	"Foster care home or foster care group home": {215},
	"Hospital or other residential non-psychiatric medical facility": {206},
	"Jail, prison or juvenile detention facility":                    {207},
	"Long-term care facility or nursing home":                        {225},
	"Psychiatric hospital or other psychiatric facility":             {204},
	"Substance abuse treatment facility or detox center":             {205},
	"Transitional housing for homeless persons":                      {302},
	"Residential project or halfway house with no homeless criteria": {329},
	"Hotel or motel paid for without emergency shelter voucher":      {314},
	"Host Home": {332},
	"Staying or living in a friend’s room, apartment or house":        {336},
	"Staying or living in a family member’s room, apartment or house": {335},
	"Staying or living with family, temporary tenure":                 {312},
	"Staying or living with friends, temporary tenure":                {313},
	"Moved from one HOPWA funded project to HOPWA TH":                 {327},
	"Staying or living with family, permanent tenure":                 {422},
	"Staying or living with friends, permanent tenure":                {423},
	"Moved from one HOPWA funded project to HOPWA PH":                 {426},
	"Rental by client, no ongoing housing subsidy":                    {410},
	"Rental by client, with ongoing housing subsidy":                  {435},
	"Owned by client, with ongoing housing subsidy":                   {421},
	"Owned by client, no ongoing housing subsidy":                     {411},
	"No exit interview completed":                                     {30},
	"Other":                                                           {17},
	"Deceased":                                                        {24},
	"Worker unable to determine":                                      {37},
	"Client Doesn't Know/Prefers Not To Answer":                       {8, 9},
	"Data not collected":                                              {99},
}

// DestinationClass is DestinationClassification.csv for an exit to
// destination d from a project of type pt: 'P' positive, 'N' not, 'X'
// excluded from the percentage. Project types the file has no column for
// (Other, Day Shelter, Homelessness Prevention, Coordinated Entry) use the
// Services Only column, whose classes are those of permanent housing.
func DestinationClass(d int, pt hud.ProjectType) byte {
	row, ok := destinationClass[d]
	if !ok {
		return 'N'
	}
	if c, ok := row[int(pt)]; ok {
		return c
	}
	return row[int(hud.ProjectTypeServicesOnly)]
}

// DestinationSubsidies are the rental subsidy types (3.12.A) of
// destination 435 in the row order of Q23d, Q25j and Q27f2
// (DestinationSubsidy.csv).
func DestinationSubsidies() []int {
	var out []int
	for _, s := range destinationSubsidies {
		out = append(out, s.Code)
	}
	return out
}

// Races are the 3.04.1 race and ethnicity fields of a client in HUD's
// order: AmIndAKNative, Asian, BlackAfAmerican, HispanicLatinao,
// MidEastNAfrican, NativeHIPacific, White; true when 1.
func Races(c *Client) [7]bool {
	var r [7]bool
	if c.Client == nil {
		return r
	}
	for i, v := range []*hud.NoYes{c.Client.AmIndAKNative, c.Client.Asian, c.Client.BlackAfAmerican, c.Client.HispanicLatinao,
		c.Client.MidEastNAfrican, c.Client.NativeHIPacific, c.Client.White} {
		r[i] = iv(v) == 1
	}
	return r
}
