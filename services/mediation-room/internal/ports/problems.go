package ports

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/mediation-room/internal/agreement"
	"fengqiao.dev/services/mediation-room/internal/mediation"
)

func reply(c echo.Context, v any, err error) error {
	if err != nil {
		return toProblem(err)
	}
	return c.JSON(http.StatusOK, v)
}

// conflicts are the aggregate's refusals that depend on its state: 409.
var conflicts = []error{
	mediation.ErrClosed, mediation.ErrNotResolved, mediation.ErrSessionPending, mediation.ErrNoSuchSession,
	mediation.ErrRecorded, mediation.ErrNoMeeting, mediation.ErrConcluded, agreement.ErrRecorded, mediation.ErrAtJointTable, mediation.ErrConvened, mediation.ErrLegalAidRequested,
}

func toProblem(err error) error {
	if p := problem.Refusal(err, "no such mediation in your county"); p != nil {
		return p
	}
	var fe mediation.FieldError
	switch {
	case errors.As(err, &fe):
		return problem.Invalid("the request cannot be applied as submitted", problem.FieldError{Pointer: fe.Pointer, Detail: fe.Detail})
	}
	for _, c := range conflicts {
		if errors.Is(err, c) {
			return problem.Conflict(err.Error())
		}
	}
	return err
}
