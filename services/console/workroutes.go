package console

import (
	"time"

	"github.com/labstack/echo/v4"
)

// workRoutes are the pages of the daily work of mediators, revisit staff
// and officers: their queues and the acts on a mediation beyond sessions
// and outcome.
func (s *Console) workRoutes(g *echo.Group) {
	g.GET("/mediations", s.myMediations)
	g.POST("/mediations/:id/joint-session", s.toJointSession)
	g.POST("/mediations/:id/joint-meeting", s.conveneMeeting)
	g.POST("/mediations/:id/joint-meeting/decisions", s.concludeMeeting)
	g.POST("/mediations/:id/legal-aid", s.requestLegalAid)
	g.POST("/mediations/:id/performance", s.recordPerformance)
	g.GET("/revisits", s.revisitsDue)
	g.POST("/revisits/:id/assign", s.assignRevisit)
}

// The work pages' pickers and the colour of a deadline, beside the
// console's own (names.go, pages.go).
func init() {
	choiceLists["caseStates"] = caseStates
	choiceLists["mediationStates"] = mediationStates
	choiceLists["obligors"] = partyRoles[:3]
	funcs["deadlineColour"] = deadlineColour
	funcs["performance"] = func(code string) string { return nameIn(performanceNames, code) }
}

// deadlineColour colours a deadline whose start the list does not carry:
// past it red, within a day of it yellow, else none.
func deadlineColour(deadline, now time.Time) string {
	switch {
	case now.After(deadline):
		return "red"
	case deadline.Sub(now) < 24*time.Hour:
		return "yellow"
	}
	return "none"
}

// performanceNames name an obligation's performance.
var performanceNames = map[string]string{"pending": "待履行", "performed": "已履行", "missed": "未履行"}
