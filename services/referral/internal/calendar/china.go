package calendar

// The national public holidays and adjusted working days (调休) of 2026, as
// the State Council General Office announced them (国办发明电〔2025〕7号).
// They are the default of every county whose policy carries no calendar of
// its own (CountyPolicy.Calendar, from the MediationCenter's spec.calendar;
// see ForPolicy), e.g. to add a local day such as an ethnic festival.
var (
	china2026Holidays = []string{
		"2026-01-01", "2026-01-02", "2026-01-03", // 元旦
		"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", // 春节
		"2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
		"2026-04-04", "2026-04-05", "2026-04-06", // 清明节
		"2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", // 劳动节
		"2026-06-19", "2026-06-20", "2026-06-21", // 端午节
		"2026-09-25", "2026-09-26", "2026-09-27", // 中秋节
		"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07", // 国庆节
	}
	china2026Workdays = []string{
		"2026-01-04",               // 元旦 调休 (Sunday)
		"2026-02-14", "2026-02-28", // 春节 调休 (Saturdays)
		"2026-05-09",               // 劳动节 调休 (Saturday)
		"2026-09-20", "2026-10-10", // 国庆节 调休 (Sunday, Saturday)
	}
)

// Default is the national calendar in China Standard Time, for a county
// that has configured no calendar of its own.
func Default() Calendar {
	c, err := New(China, china2026Holidays, china2026Workdays)
	if err != nil {
		panic(err) // the lists above are constants; a typo is caught by the tests
	}
	return c
}
