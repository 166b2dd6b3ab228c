package console

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Cookie names. The session holds the user's access token, so it is
// sealed (AES-GCM with the console's session key), HttpOnly and, outside a
// developer's loopback, Secure; SameSite=Lax keeps another site's forms
// from posting with it while the provider's redirect back still carries the
// sign-in cookie.
const (
	sessionCookie = "fq_session"
	signInCookie  = "fq_signin"
)

// session is what the console remembers of a signed-in user: the tokens the
// provider issued, nothing else. Who the user is is read from the access
// token on every request, so a session cannot claim more than its token.
type session struct {
	AccessToken  string    `json:"at"`
	RefreshToken string    `json:"rt,omitempty"`
	Expiry       time.Time `json:"exp"`
}

// signIn is one sign-in in progress: the state and PKCE verifier of the
// authorization request, and where to go afterwards.
type signIn struct {
	State    string    `json:"st"`
	Verifier string    `json:"cv"`
	Next     string    `json:"next"`
	Until    time.Time `json:"until"`
}

// sealer encrypts and authenticates cookie values.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("the session key must be 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("cannot build the session cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("cannot build the session cipher: %w", err)
	}
	return &sealer{aead}, nil
}

// seal encrypts v's JSON; the cookie's name is authenticated with it, so a
// sign-in cookie cannot be replayed as a session.
func (s *sealer) seal(name string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(name))), nil
}

var errBadCookie = errors.New("the cookie is not one this console sealed")

func (s *sealer) open(name, value string, into any) error {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return errBadCookie
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], []byte(name))
	if err != nil {
		return errBadCookie
	}
	if err := json.Unmarshal(plain, into); err != nil {
		return errBadCookie
	}
	return nil
}

// cookies writes and reads the console's sealed cookies.
type cookies struct {
	sealer *sealer
	secure bool
}

func (c cookies) set(w http.ResponseWriter, name string, v any, maxAge time.Duration) error {
	value, err := c.sealer.seal(name, v)
	if err != nil {
		return fmt.Errorf("cannot seal the %s cookie: %w", name, err)
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(maxAge.Seconds()),
		HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
	return nil
}

func (c cookies) get(r *http.Request, name string, into any) error {
	ck, err := r.Cookie(name)
	if err != nil {
		return errBadCookie
	}
	return c.sealer.open(name, ck.Value, into)
}

func (c cookies) clear(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Path: "/", MaxAge: -1, HttpOnly: true, Secure: c.secure, SameSite: http.SameSiteLaxMode})
}
