package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jinwei/warehouse"
)

// deviceCookie marks a browser that has signed in as an account. Failed sign-ins for an
// account lock its name for a while (against guessing one password from many addresses);
// a browser it has signed in from has an allowance of its own instead, so that one address
// sending a wrong password every few seconds does not hold the owner out. The cookie is a
// random nonce and its signature with the session key over the account's name and password
// hash: a new password (an admin's reset after a leak) ends every browser's standing.
const deviceCookie = "jinwei_device"

// deviceLife is how long a browser stays known without signing in again.
const deviceLife = 400 * 24 * time.Hour

func (s *Server) deviceSignature(u warehouse.Account, nonce string) string {
	m := hmac.New(sha256.New, s.cfg.SessionKey)
	m.Write([]byte("device\x00" + u.Name + "\x00" + nonce + "\x00" + u.PasswordHash))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// knownDevice is the nonce of the browser's device cookie when it was given for the account
// name, with its password as it is now.
func (s *Server) knownDevice(c echo.Context, name string) (string, bool) {
	ck, err := c.Cookie(deviceCookie)
	if err != nil || len(s.cfg.SessionKey) == 0 {
		return "", false
	}
	u, ok := s.accounts.account(c.Request().Context(), name)
	if !ok {
		return "", false
	}
	nonce, sig, ok := strings.Cut(ck.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.deviceSignature(u, nonce))) {
		return "", false
	}
	return nonce, true
}

// rememberDevice gives the browser a device cookie for the account u, keeping its nonce if
// it had one.
func (s *Server) rememberDevice(c echo.Context, u warehouse.Account, nonce string) {
	if len(s.cfg.SessionKey) == 0 {
		return
	}
	if nonce == "" {
		var b [12]byte
		_, _ = rand.Read(b[:])
		nonce = base64.RawURLEncoding.EncodeToString(b[:])
	}
	s.setCookie(c, deviceCookie, nonce+"."+s.deviceSignature(u, nonce), s.now().Add(deviceLife), 0)
}
