// Package hmis is Hearth's domain: the HUD HMIS records (Client, Enrollment,
// Exit, Project, ...) in HUD's own terms, the Dataset bundle that moves
// between storage, the HMIS CSV format and reports, Hearth's own records
// (accounts, sessions, sites), pure validation, and the Error type every
// layer returns.
//
// It imports only the standard library and internal/hud.
package hmis
