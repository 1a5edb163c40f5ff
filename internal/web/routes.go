package web

import "net/http"

// routes returns every route, wrapped once in the middleware every request
// passes through.
//
// Two muxes: /static/... and the site routes (/{site}/...) overlap as
// patterns (/static/x/login would match both), so the outer mux takes the
// static tree and the site chooser and hands everything else to the inner.
func (s *Server) routes() http.Handler {
	sm := http.NewServeMux()

	// Sign-in and sign-out: the site is known, no session is needed.
	sm.Handle("GET /{site}", s.site(s.siteRoot))
	sm.Handle("GET /{site}/login", s.site(s.loginForm))
	sm.Handle("POST /{site}/login", s.site(s.login))
	sm.Handle("POST /{site}/logout", s.site(s.logout))
	sm.Handle("GET /{site}/login/code", s.site(s.codeForm))
	sm.Handle("POST /{site}/login/code", s.site(s.code))

	// Home tab.
	sm.Handle("GET /{site}/{$}", s.page(s.dashboard))
	sm.Handle("GET /{site}/profile", s.page(s.profile))
	sm.Handle("POST /{site}/profile", s.page(s.saveProfile))
	sm.Handle("POST /{site}/profile/sessions/{id}/revoke", s.page(s.revokeSession))
	sm.Handle("POST /{site}/profile/organization", s.page(s.switchOrganization))
	sm.Handle("GET /{site}/profile/password", s.page(s.passwordForm))
	sm.Handle("POST /{site}/profile/password", s.page(s.changePassword))
	sm.Handle("GET /{site}/profile/2fa", s.page(s.twoFactor))
	sm.Handle("POST /{site}/profile/2fa/start", s.page(s.startTwoFactor))
	sm.Handle("POST /{site}/profile/2fa/confirm", s.page(s.confirmTwoFactor))
	sm.Handle("POST /{site}/profile/2fa/disable", s.page(s.disableTwoFactor))

	// Home tab: HUD reports, their runs and drill-downs (reports*.go).
	sm.Handle("GET /{site}/"+reportsPath, s.page(s.reportsForm))
	sm.Handle("POST /{site}/"+reportsPath, s.page(s.runReport))
	sm.Handle("GET /{site}/"+reportsPath+"/runs/{id}", s.page(s.reportRun))
	sm.Handle("GET /{site}/"+reportsPath+"/runs/{id}/status", s.page(s.reportRunStatus))
	sm.Handle("GET /{site}/"+reportsPath+"/runs/{id}/zip", s.page(s.reportZip))
	sm.Handle("GET /{site}/"+reportsPath+"/runs/{id}/tables/{file}", s.page(s.reportTableCSV))
	sm.Handle("GET /{site}/"+reportsPath+"/runs/{id}/cells/{table}/{row}/{col}", s.page(s.reportCell))
	// Home tab: the calendar (calendar*.go); its private iCalendar feed
	// needs no session (the token is the credential).
	sm.Handle("GET /{site}/"+calendarPath, s.page(s.homeCalendar))
	sm.Handle("GET /{site}/"+calendarPath+"/new", s.page(s.newEventForm))
	sm.Handle("POST /{site}/"+calendarPath+"/new", s.page(s.createEvent))
	sm.Handle("GET /{site}/"+calendarPath+"/settings", s.page(s.calendarSettings))
	sm.Handle("POST /{site}/"+calendarPath+"/settings", s.page(s.calendarSettingsPost))
	sm.Handle("GET /{site}/"+calendarPath+"/events/{id}", s.page(s.eventPageHandler))
	sm.Handle("GET /{site}/"+calendarPath+"/events/{id}/edit", s.page(s.editEventForm))
	sm.Handle("POST /{site}/"+calendarPath+"/events/{id}/edit", s.page(s.updateEvent))
	sm.Handle("POST /{site}/"+calendarPath+"/events/{id}/delete", s.page(s.deleteEvent))
	sm.Handle("POST /{site}/"+calendarPath+"/events/{id}/cancel", s.page(s.cancelOccurrence))
	sm.Handle("POST /{site}/"+calendarPath+"/events/{id}/followup", s.page(s.eventFollowUp))
	sm.Handle("GET /{site}/calendar/feed/{file}", s.site(s.calendarFeed))
	sm.Handle("GET /{site}/"+clientCalendarMenuPath, s.page(s.lastClient(clientCalendarMenuPath, "Calendar", s.showClientCalendar)))

	// Home tab, administrators only: the audit log.
	sm.Handle("GET /{site}/"+auditPath, s.desk(s.auditLog))

	// Home tab, administrators only: users and the two-factor rule (admin_users.go).
	sm.Handle("GET /{site}/"+usersPath, s.admin(s.users))
	sm.Handle("POST /{site}/"+usersPath, s.admin(s.addUser))
	sm.Handle("POST /{site}/"+usersPath+"/two-factor", s.admin(s.setTwoFactorRule))
	sm.Handle("POST /{site}/"+usersPath+"/pii", s.admin(s.piiSetRoleRule)) // pii_admin.go
	sm.Handle("GET /{site}/"+usersPath+"/{id}", s.admin(s.userDetail))
	sm.Handle("POST /{site}/"+usersPath+"/{id}", s.admin(s.changeUser))

	// Home tab, administrators only: HMIS CSV import and export.
	sm.Handle("GET /{site}/"+importPath, s.admin(s.importForm))
	sm.Handle("POST /{site}/"+importPath, s.admin(s.upload))
	sm.Handle("GET /{site}/"+importPath+"/jobs/{job}", s.admin(s.importStatus))
	sm.Handle("GET /{site}/"+importPath+"/jobs/{job}/progress", s.admin(s.importProgress))
	sm.Handle("GET /{site}/"+importPath+"/reports/{id}", s.admin(s.importReport))
	sm.Handle("GET /{site}/"+exportPath, s.admin(s.exportForm))
	sm.Handle("POST /{site}/"+exportPath, s.admin(s.export))

	// Home tab, administrators only: Setup (setup*.go).
	s.setupRoutes(sm)

	// Clients tab: find, add and open clients (clients*.go); Home tab:
	// recent clients.
	sm.Handle("GET /{site}/"+findPath, s.page(s.findClient))
	sm.Handle("GET /{site}/"+intakePath, s.page(s.newClientSearch))
	sm.Handle("GET /{site}/"+intakePath+"/form", s.page(s.newClientForm))
	sm.Handle("POST /{site}/"+intakePath+"/form", s.page(s.createClient))
	sm.Handle("GET /{site}/"+dashboardPath, s.page(s.currentClient))
	sm.Handle("GET /{site}/clients/{personalID}", s.page(s.clientDashboardPage))
	sm.Handle("GET /{site}/"+recentPath, s.page(s.recentClients))

	// Clients tab: edit a client, case notes, family (clients_edit.go,
	// clients_notes.go, clients_family.go); the menu options open them for
	// the client opened last.
	// (One pattern per method, dispatched on {page}: .../{personalID}/edit
	// would conflict with clients/programs/{projectID}.)
	sm.Handle("GET /{site}/clients/{personalID}/{page}", s.page(s.clientSubpage))
	sm.Handle("POST /{site}/clients/{personalID}/{page}", s.page(s.clientSubpagePost))
	sm.Handle("GET /{site}/"+editMenuPath, s.page(s.lastClient(editMenuPath, "Edit Client Information", s.showEditClient)))
	sm.Handle("GET /{site}/"+notesMenuPath, s.page(s.lastClient(notesMenuPath, "Case Notes", s.showClientNotes)))
	sm.Handle("GET /{site}/"+familyMenuPath, s.page(s.lastClient(familyMenuPath, "Family", s.showClientFamily)))
	s.serviceRoutes(sm)    // services.go
	s.assessmentRoutes(sm) // assessments.go
	s.qualityRoutes(sm)    // quality.go

	// Clients tab, administrators only: duplicates and merges
	// (clients_duplicates.go).
	sm.Handle("GET /{site}/"+duplicatesPath, s.admin(s.duplicates))
	sm.Handle("GET /{site}/"+duplicatesPath+"/confirm", s.admin(s.mergeConfirm))
	sm.Handle("POST /{site}/"+duplicatesPath+"/merge", s.admin(s.mergeClients))
	sm.Handle("POST /{site}/"+duplicatesPath+"/dismiss", s.admin(s.dismissDuplicate))
	sm.Handle("POST /{site}/"+duplicatesPath+"/recompute", s.admin(s.recomputeDuplicates))
	sm.Handle("GET /{site}/"+clientFieldsPath, s.admin(s.clientFields))
	sm.Handle("POST /{site}/"+clientFieldsPath, s.admin(s.saveClientField))
	sm.Handle("GET /{site}/"+mergesPath, s.admin(s.merges))
	sm.Handle("POST /{site}/"+mergesPath+"/{id}/undo", s.admin(s.undoMerge))

	// Clients tab, administrators only: MOU agreements (mous.go).
	sm.Handle("GET /{site}/"+mousPath, s.admin(s.mous))
	sm.Handle("POST /{site}/"+mousPath, s.admin(s.addMOU))
	// Guided workflows: intake, update, annual, exit, post-exit (workflows.go).
	sm.Handle("GET /{site}/"+workflowsPath+"/start", s.page(s.workflowStart))
	sm.Handle("POST /{site}/"+workflowsPath+"/start", s.page(s.startWorkflow))
	sm.Handle("GET /{site}/"+workflowsPath+"/{id}", s.page(s.workflowResume))
	sm.Handle("GET /{site}/"+workflowsPath+"/{id}/step/{n}", s.page(s.workflowPage))
	sm.Handle("POST /{site}/"+workflowsPath+"/{id}/step/{n}", s.page(s.saveWorkflowPage))
	sm.Handle("POST /{site}/"+workflowsPath+"/{id}/step/{n}/autosave", s.page(s.autosaveWorkflowPage))
	sm.Handle("GET /{site}/"+pausedPath, s.page(s.pausedApplications))
	sm.Handle("GET /{site}/"+workflowAdminPath, s.admin(s.workflowAdmin))
	sm.Handle("POST /{site}/"+workflowAdminPath, s.admin(s.workflowAdminPost))
	sm.Handle("GET /{site}/"+enrollmentsMenuPath, s.page(s.lastClient(enrollmentsMenuPath, "Enrollments", s.showClientEnrollments)))

	// Clients tab: program workflows.
	sm.Handle("GET /{site}/clients/programs/{projectID}", s.page(s.program))
	sm.Handle("GET /{site}/clients/programs/{projectID}/{step}", s.page(s.program))

	// Support tab: tickets, the queue, help (support.go).
	s.supportRoutes(sm)
	// Housing tab: inventory, bed board, check-in, roster, utilization (housing*.go).
	s.housingRoutes(sm)

	// Menu options not built yet: one page type, driven by the nav table.
	for _, t := range tabs {
		for _, g := range t.Groups {
			for _, it := range g.Items {
				if it.Coming != "" {
					sm.Handle("GET /{site}/"+it.Path, s.page(s.coming(t.Key, it)))
				}
			}
		}
	}
	sm.HandleFunc("/", s.notFound)

	mux := http.NewServeMux()
	mux.Handle("GET /static/{hash}/{name...}", s.assets)
	mux.Handle("GET /{$}", s.handle(s.siteList))
	mux.Handle("/", sm)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(s.handle(s.crossOrigin))

	var h http.Handler = mux
	h = csrf.Handler(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.requestLog(h) // outermost: gives every request its ID
	return h
}
