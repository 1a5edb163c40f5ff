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
	sm.Handle("POST /{site}/profile/sessions/{id}/revoke", s.page(s.revokeSession))
	sm.Handle("GET /{site}/profile/password", s.page(s.passwordForm))
	sm.Handle("POST /{site}/profile/password", s.page(s.changePassword))
	sm.Handle("GET /{site}/profile/2fa", s.page(s.twoFactor))
	sm.Handle("POST /{site}/profile/2fa/start", s.page(s.startTwoFactor))
	sm.Handle("POST /{site}/profile/2fa/confirm", s.page(s.confirmTwoFactor))
	sm.Handle("POST /{site}/profile/2fa/disable", s.page(s.disableTwoFactor))

	// Home tab, administrators only: the audit log.
	sm.Handle("GET /{site}/"+auditPath, s.admin(s.auditLog))

	// Home tab, administrators only: HMIS CSV import and export.
	sm.Handle("GET /{site}/"+importPath, s.admin(s.importForm))
	sm.Handle("POST /{site}/"+importPath, s.admin(s.upload))
	sm.Handle("GET /{site}/"+importPath+"/jobs/{job}", s.admin(s.importStatus))
	sm.Handle("GET /{site}/"+importPath+"/jobs/{job}/progress", s.admin(s.importProgress))
	sm.Handle("GET /{site}/"+importPath+"/reports/{id}", s.admin(s.importReport))
	sm.Handle("GET /{site}/"+exportPath, s.admin(s.exportForm))
	sm.Handle("POST /{site}/"+exportPath, s.admin(s.export))

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

	// Clients tab, administrators only: duplicates and merges
	// (clients_duplicates.go).
	sm.Handle("GET /{site}/"+duplicatesPath, s.admin(s.duplicates))
	sm.Handle("GET /{site}/"+duplicatesPath+"/confirm", s.admin(s.mergeConfirm))
	sm.Handle("POST /{site}/"+duplicatesPath+"/merge", s.admin(s.mergeClients))
	sm.Handle("POST /{site}/"+duplicatesPath+"/dismiss", s.admin(s.dismissDuplicate))
	sm.Handle("GET /{site}/"+mergesPath, s.admin(s.merges))
	sm.Handle("POST /{site}/"+mergesPath+"/{id}/undo", s.admin(s.undoMerge))

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
