package dispute

import (
	"fmt"

	"fengqiao.dev/api/policy"
)

// Assignee is who follows a dispute in second handling (二次处置), and the
// staffing gap that put them there, if any.
type Assignee struct {
	Officer string // an officer ID, never a name
	Gap     string // empty when the recording station's community officer took it
}

// DutyOfficer names the duty officer of a station by role, for a station
// whose community officer the county's roster does not name.
func DutyOfficer(station string) string { return "duty-officer@" + station }

// AssignSecondHandling walks up the ladder (the Ganzhou article: the command room
// re-dispatches to the community officer, who follows until settled): the
// recording station's own police officer on the county's roster (社区民警);
// else the station's duty officer, with a staffing gap the committee sees,
// so a dispute in second handling never goes to nobody, silently.
func AssignSecondHandling(p *policy.CountyPolicy, station string) Assignee {
	if p != nil {
		if m, ok := p.CommunityOfficer(station); ok {
			return Assignee{Officer: m.ID}
		}
	}
	return Assignee{Officer: DutyOfficer(station),
		Gap: fmt.Sprintf("no community officer of %s on the county's roster: second handling goes to the station's duty officer", station)}
}
