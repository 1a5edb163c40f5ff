package hmis

// Funder families group HUD funding sources (2.06.1) the way case
// managers find program workflows in the Clients tab: one menu group per
// family.
const (
	FamilyCoC   = "CoC"
	FamilyESG   = "ESG"
	FamilyHOPWA = "HOPWA"
	FamilyVA    = "VA"
	FamilyPATH  = "PATH"
	FamilyRHY   = "RHY"
	FamilyOther = "Other"
)

// FunderFamilies lists the families in menu order.
var FunderFamilies = []string{FamilyCoC, FamilyESG, FamilyHOPWA, FamilyVA, FamilyPATH, FamilyRHY, FamilyOther}

// FunderFamily returns the family of a 2.06.1 funding source code.
func FunderFamily(code int) string {
	switch code {
	case 1, 2, 3, 4, 5, 6, 7, 43, 44, 49, 54, 55, 56: // HUD: CoC components, YHDP, joint, special NOFOs, CoC Builds
		return FamilyCoC
	case 8, 9, 10, 11, 47, 53: // HUD: ESG, ESG-CV, ESG-RUSH
		return FamilyESG
	case 13, 14, 15, 16, 17, 18, 19, 48: // HUD: HOPWA, HOPWA-CV
		return FamilyHOPWA
	case 20, 27, 30, 32, 33, 37, 38, 39, 40, 41, 42, 45: // HUD/VASH and VA programs
		return FamilyVA
	case 21: // HHS: PATH
		return FamilyPATH
	case 22, 23, 24, 25, 26: // HHS: RHY
		return FamilyRHY
	}
	return FamilyOther
}
