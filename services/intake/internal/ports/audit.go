package ports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/api/events"
	"fengqiao.dev/pkg/audit"
	"fengqiao.dev/pkg/identity"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/intake/internal/app"
)

// Auditor records who saw or changed a case's personal data;
// *audit.Store satisfies it.
type Auditor interface {
	Append(ctx context.Context, e audit.Entry) (audit.Record, error)
}

// personalFields are the dispute's fields that hold personal data, as the
// JSON pointers the view's Withheld names when it masks them.
var personalFields = []string{"/parties", "/address", "/summary", "/narrative", "/reopenings/note"}

// unmasked lists the personal fields v shows, which is what a record of
// reading it names.
func unmasked(v disputeView) []string {
	var out []string
	for _, f := range personalFields {
		if !slices.Contains(v.Withheld, f) {
			out = append(out, f)
		}
	}
	return out
}

// masked is how a caller who stated no purpose sees a case: as a role
// that reads no personal data does. The view masks by role, and no role
// is the one that unmasks nothing.
func masked(caller identity.Caller) identity.Caller {
	caller.Role = ""
	return caller
}

// viewFor is the dispute as the request may see it: unmasked as far as the
// caller's role allows when it states why (and the read is recorded),
// masked otherwise. A purpose not on the list is a 400 naming it.
func viewFor(c echo.Context, auditor Auditor, at time.Time, v func(identity.Caller) disputeView, caller identity.Caller, caseCounty, caseID string) (disputeView, error) {
	purpose, err := audit.PurposeOf(c.Request())
	switch {
	case errors.Is(err, audit.ErrNoPurpose):
		return v(masked(caller)), nil
	case err != nil:
		return disputeView{}, problem.Invalid("personal data is unmasked only for a stated purpose",
			problem.FieldError{Pointer: "query:" + audit.PurposeParam, Detail: err.Error()})
	}
	out := v(caller)
	return out, record(c, auditor, at, caller, caseCounty, caseID, events.AuditRead, purpose, unmasked(out))
}

// errNoAuditor stops a request that would show personal data with no
// audit trail to record it in.
var errNoAuditor = errors.New("cannot show personal data: no audit trail is configured")

// record appends the audit record of an act on fields of a case; nothing
// to record when no personal field was shown or changed. A failure fails
// the request: personal data is never shown unrecorded.
func record(c echo.Context, auditor Auditor, at time.Time, caller identity.Caller, caseCounty, caseID string, action events.AuditAction, purpose audit.Purpose, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	if auditor == nil {
		return errNoAuditor
	}
	_, err := auditor.Append(c.Request().Context(), audit.Entry{
		County: caseCounty, CaseID: caseID,
		Actor:  events.AuditActor{County: caller.County, Agency: caller.Agency, Role: string(caller.Role), Officer: caller.Officer},
		Action: action, Fields: fields, Client: c.RealIP(), Purpose: string(purpose), At: at,
	})
	return err
}

// recordDelivery puts a report delivered on the ingest topic on the audit
// trail, as POST /v1/disputes puts a registration: who (the delivering
// system, as a system of the report's county), what (the personal fields
// the report carried), when, from where (the ingest topic) and why
// (registration). The report is stored by then; a failure to record is
// retried, and the redelivery, which finds the dispute the report made,
// records it then. A report linked to an earlier dispute changes that one.
func recordDelivery(ctx context.Context, auditor Auditor, r events.IntakeReportDelivered, county, caseID string, outcome app.Outcome, at time.Time) error {
	fields := deliveredFields(r)
	if len(fields) == 0 {
		return nil
	}
	if auditor == nil {
		return errNoAuditor
	}
	action := events.AuditCreate
	if outcome == app.Linked {
		action = events.AuditChange
	}
	_, err := auditor.Append(ctx, audit.Entry{
		County: county, CaseID: caseID,
		Actor:  events.AuditActor{County: r.CountyCode, Agency: r.SystemID, Role: string(identity.RoleSystem), Officer: r.SystemID},
		Action: action, Fields: fields, Client: "kafka:" + events.TopicIntakeIngest, Purpose: string(audit.PurposeRegistration), At: at,
	})
	if err != nil {
		return fmt.Errorf("while recording a delivered report in the audit trail: %w", err)
	}
	return nil
}

// deliveredFields are the personal fields a delivered report carries, as
// the JSON pointers of the dispute it registers.
func deliveredFields(r events.IntakeReportDelivered) []string {
	var out []string
	for _, f := range []struct {
		pointer string
		carried bool
	}{{"/parties", len(r.Parties) > 0}, {"/address", r.Place.Address != ""}, {"/summary", r.Summary != ""}, {"/narrative", r.Narrative != ""}} {
		if f.carried {
			out = append(out, f.pointer)
		}
	}
	return out
}
