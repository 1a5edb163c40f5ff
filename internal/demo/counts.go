package demo

import (
	"strconv"
	"strings"
)

// Counts are the records a Populate call added, by kind.
type Counts struct {
	Organizations, Projects, Funders, ProjectCoCs, Inventory, Users         int
	Clients, Households, Enrollments, Exits, Services, IncomeBenefits       int
	HealthAndDV, Disabilities, EmploymentEducation, CurrentLivingSituations int
	Assessments, Events                                                     int
}

// String lists the non-zero counts: "120 clients, 84 households, 181
// enrollments, ...", with thousands separators.
func (c Counts) String() string {
	var parts []string
	for _, f := range []struct {
		n          int
		one, other string
	}{
		{c.Clients, "client", "clients"},
		{c.Households, "household", "households"},
		{c.Enrollments, "enrollment", "enrollments"},
		{c.Exits, "exit", "exits"},
		{c.Services, "service", "services"},
		{c.IncomeBenefits, "income and benefits record", "income and benefits records"},
		{c.HealthAndDV, "health and DV record", "health and DV records"},
		{c.Disabilities, "disability record", "disability records"},
		{c.EmploymentEducation, "employment and education record", "employment and education records"},
		{c.CurrentLivingSituations, "current living situation", "current living situations"},
		{c.Assessments, "assessment", "assessments"},
		{c.Events, "event", "events"},
		{c.Organizations, "organization", "organizations"},
		{c.Projects, "project", "projects"},
		{c.Funders, "grant", "grants"},
		{c.ProjectCoCs, "project CoC record", "project CoC records"},
		{c.Inventory, "inventory record", "inventory records"},
		{c.Users, "user", "users"},
	} {
		switch f.n {
		case 0:
		case 1:
			parts = append(parts, "1 "+f.one)
		default:
			parts = append(parts, thousands(f.n)+" "+f.other)
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// thousands writes n with comma separators: 1234567 -> "1,234,567".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
