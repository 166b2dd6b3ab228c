package console

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
)

// Config is the console's configuration (FromEnv reads it).
type Config struct {
	// Addr is the listen address (HTTP_ADDR).
	Addr string
	// PublicURL is where browsers reach the console (CONSOLE_PUBLIC_URL);
	// the redirect URI registered with the provider is PublicURL+"/callback".
	PublicURL string
	// Issuer is the OIDC provider people sign in with (AUTH_ISSUER); its
	// access tokens are what the services accept.
	Issuer string
	// Audience of the access tokens (AUTH_AUDIENCE, default fengqiao).
	Audience string
	// ClientID is the console's public client at the provider
	// (CONSOLE_CLIENT_ID, default fengqiao-console).
	ClientID string
	// SessionKey seals the session cookie: 32 bytes (CONSOLE_SESSION_KEY,
	// base64). Every replica must share it.
	SessionKey []byte
	// Services are the base URLs of the five services' APIs
	// (INTAKE_URL, REFERRAL_URL, MEDIATION_ROOM_URL, REVISIT_URL,
	// SUPERVISION_URL).
	Services Services
}

// Services are the base URLs of the services the console calls.
type Services struct {
	Intake, Referral, MediationRoom, Revisit, Supervision string
}

// DefaultClientID is the console's client at the provider.
const DefaultClientID = "fengqiao-console"

// FromEnv reads the configuration from the environment.
func FromEnv() (Config, error) {
	key, err := base64.StdEncoding.DecodeString(os.Getenv("CONSOLE_SESSION_KEY"))
	if err != nil {
		return Config{}, fmt.Errorf("CONSOLE_SESSION_KEY is not base64: %w", err)
	}
	c := Config{
		Addr: env("HTTP_ADDR", ":8080"), PublicURL: strings.TrimSuffix(os.Getenv("CONSOLE_PUBLIC_URL"), "/"),
		Issuer: os.Getenv("AUTH_ISSUER"), Audience: env("AUTH_AUDIENCE", "fengqiao"),
		ClientID: env("CONSOLE_CLIENT_ID", DefaultClientID), SessionKey: key,
		Services: Services{
			Intake: os.Getenv("INTAKE_URL"), Referral: os.Getenv("REFERRAL_URL"), MediationRoom: os.Getenv("MEDIATION_ROOM_URL"),
			Revisit: os.Getenv("REVISIT_URL"), Supervision: os.Getenv("SUPERVISION_URL"),
		},
	}
	return c, c.Validate()
}

// Validate reports what is missing or unsafe.
func (c Config) Validate() error {
	var errs []error
	if c.Issuer == "" {
		errs = append(errs, errors.New("AUTH_ISSUER is required"))
	}
	if len(c.SessionKey) != 32 {
		errs = append(errs, errors.New("CONSOLE_SESSION_KEY must be 32 random bytes, base64"))
	}
	if _, err := c.secureCookies(); err != nil {
		errs = append(errs, err)
	}
	for name, u := range map[string]string{"INTAKE_URL": c.Services.Intake, "REFERRAL_URL": c.Services.Referral,
		"MEDIATION_ROOM_URL": c.Services.MediationRoom, "REVISIT_URL": c.Services.Revisit, "SUPERVISION_URL": c.Services.Supervision} {
		if u == "" {
			errs = append(errs, fmt.Errorf("%s is required", name))
		}
	}
	return errors.Join(errs...)
}

// secureCookies says whether the cookies are Secure: always, except for a
// console a developer reaches over plain HTTP on the loopback (make run),
// where a browser would drop a Secure cookie. Plain HTTP anywhere else is
// refused: the session carries the user's token.
func (c Config) secureCookies() (bool, error) {
	u, err := url.Parse(c.PublicURL)
	if err != nil || c.PublicURL == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return false, errors.New("CONSOLE_PUBLIC_URL must be the console's absolute http(s) URL")
	}
	if u.Scheme == "https" {
		return true, nil
	}
	if ip := net.ParseIP(u.Hostname()); (ip != nil && ip.IsLoopback()) || u.Hostname() == "localhost" {
		return false, nil
	}
	return false, errors.New("CONSOLE_PUBLIC_URL must be https outside the loopback: the session cookie carries the user's token")
}

// RedirectURL is the sign-in's redirect URI.
func (c Config) RedirectURL() string { return c.PublicURL + "/callback" }

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
