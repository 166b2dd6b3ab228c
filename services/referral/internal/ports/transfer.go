package ports

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"fengqiao.dev/pkg/httpserver"
	"fengqiao.dev/pkg/problem"
	"fengqiao.dev/services/referral/internal/app"
	"fengqiao.dev/services/referral/internal/referral"
)

// transferRequest is the body of a transfer to another county (跨县移交).
type transferRequest struct {
	ToCountyCode string `json:"to_county_code"`
	Place        struct {
		TownshipCode string `json:"township_code"`
		VillageCode  string `json:"village_code"`
	} `json:"place"`
	Reason string `json:"reason"`
}

func (h HTTP) TransferSlip(c echo.Context) error {
	caller := httpserver.Caller(c)
	var req transferRequest
	if err := httpserver.DecodeJSONWith(c, &req, textLimits); err != nil {
		return err
	}
	s, err := h.App.TransferSlip(c.Request().Context(), caller, c.Param("id"), app.TransferRequest{
		ToCounty: req.ToCountyCode, TownshipCode: req.Place.TownshipCode, VillageCode: req.Place.VillageCode, Reason: req.Reason,
	})
	if err != nil {
		return transferProblem(err)
	}
	return c.JSON(http.StatusOK, view(s))
}

// transferProblem names the field at fault of a refused transfer.
func transferProblem(err error) error {
	field := func(pointer string) error {
		return problem.Invalid("the slip cannot be transferred", problem.FieldError{Pointer: pointer, Detail: err.Error()})
	}
	switch {
	case errors.Is(err, referral.ErrNotACountyCode), errors.Is(err, referral.ErrOtherProvince),
		errors.Is(err, referral.ErrSameCounty), errors.Is(err, app.ErrNoPolicy):
		return field("#/to_county_code")
	case errors.Is(err, app.ErrUnknownTownship):
		return field("#/place/township_code")
	case errors.Is(err, referral.ErrTransferReasonRequired):
		return field("#/reason")
	case errors.Is(err, referral.ErrNotLatestRound):
		return problem.Conflict(err.Error())
	}
	return toProblem(err)
}
