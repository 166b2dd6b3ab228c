package bearer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"fengqiao.dev/pkg/identity"
)

// keySet caches the provider's public keys by key ID. A token naming a key
// it does not hold makes it fetch the keys again — that is how a rotated key
// is picked up without a restart — at most once per MinRefresh. Requests
// whose key is cached never wait for a fetch.
type keySet struct {
	cfg Config

	mu      sync.RWMutex // guards keys and fetched
	keys    map[string]jose.JSONWebKey
	fetched time.Time

	fetching sync.Mutex // one fetch at a time; guards jwksURL
	jwksURL  string
}

func newKeySet(cfg Config) *keySet {
	return &keySet{cfg: cfg, jwksURL: cfg.JWKSURL}
}

// cached returns the key named kid, whether it is held, and whether the
// keys are recent enough to trust without fetching.
func (k *keySet) cached(kid string) (jose.JSONWebKey, bool, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	key, known := k.keys[kid]
	return key, known, k.cfg.Now().Sub(k.fetched) < k.cfg.MaxAge
}

// key returns the public key named kid.
func (k *keySet) key(ctx context.Context, kid string) (jose.JSONWebKey, error) {
	if key, known, fresh := k.cached(kid); known && fresh {
		return key, nil
	}
	k.fetching.Lock()
	defer k.fetching.Unlock()
	key, known, fresh := k.cached(kid) // another request may have fetched meanwhile
	if known && fresh {
		return key, nil
	}
	k.mu.RLock()
	sinceFetch := k.cfg.Now().Sub(k.fetched)
	k.mu.RUnlock()
	if !known && fresh && sinceFetch < k.cfg.MinRefresh {
		return jose.JSONWebKey{}, unknownKey(kid)
	}
	if err := k.refresh(ctx); err != nil {
		if known {
			return key, nil // a provider briefly away does not lock everyone out
		}
		return jose.JSONWebKey{}, &Error{Err: err}
	}
	if key, known, _ = k.cached(kid); !known {
		return jose.JSONWebKey{}, unknownKey(kid)
	}
	return key, nil
}

func unknownKey(kid string) error {
	return identity.Refuse("the token is signed with key %q, which the issuer does not publish", kid)
}

// refresh fetches the key set, discovering its URL first if need be; the
// caller holds k.fetching.
func (k *keySet) refresh(ctx context.Context) error {
	if k.jwksURL == "" {
		url, err := k.discover(ctx)
		if err != nil {
			return err
		}
		k.jwksURL = url
	}
	var set jose.JSONWebKeySet
	if err := k.getJSON(ctx, k.jwksURL, &set); err != nil {
		return fmt.Errorf("while fetching the issuer's keys: %w", err)
	}
	keys := make(map[string]jose.JSONWebKey, len(set.Keys))
	for _, key := range set.Keys {
		if key.KeyID == "" || !key.IsPublic() || (key.Use != "" && key.Use != "sig") {
			continue
		}
		keys[key.KeyID] = key
	}
	k.mu.Lock()
	k.keys, k.fetched = keys, k.cfg.Now()
	k.mu.Unlock()
	return nil
}

// discover reads the jwks_uri of the issuer's OpenID configuration, and
// checks that the document is the issuer's own.
func (k *keySet) discover(ctx context.Context) (string, error) {
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	url := strings.TrimSuffix(k.cfg.Issuer, "/") + "/.well-known/openid-configuration"
	if err := k.getJSON(ctx, url, &doc); err != nil {
		return "", fmt.Errorf("while discovering the issuer's configuration: %w", err)
	}
	if doc.Issuer != k.cfg.Issuer || doc.JWKSURI == "" {
		return "", fmt.Errorf("the discovery document at %s names issuer %q and jwks_uri %q", url, doc.Issuer, doc.JWKSURI)
	}
	return doc.JWKSURI, nil
}

func (k *keySet) getJSON(ctx context.Context, url string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := k.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(into)
}
