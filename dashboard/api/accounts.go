package api

import (
	"time"

	"jinwei/warehouse"
)

// Account is a user as the admin API lists it, without its password's hash
// (warehouse.Account).
type Account struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	Unit     string `json:"unit,omitempty"`
	Contact  string `json:"contact,omitempty"`
	Disabled bool   `json:"disabled"`
	Source   string `json:"source"`
	Updated  string `json:"updated"`
}

// Accounts are accounts' JSON shapes.
func Accounts(in []warehouse.Account) []Account {
	return each(in, func(a warehouse.Account) Account {
		return Account{Name: a.Name, Role: a.Role, Unit: a.Unit, Contact: a.Contact, Disabled: a.Disabled, Source: a.Source,
			Updated: a.Updated}
	})
}

// APIToken is an API token as the admin API lists it, without its hash (warehouse.APIToken).
type APIToken struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	Revoked bool      `json:"revoked"`
}

// APITokens are tokens' JSON shapes.
func APITokens(in []warehouse.APIToken) []APIToken {
	return each(in, func(t warehouse.APIToken) APIToken {
		return APIToken{ID: t.ID, Name: t.Name, Role: t.Role, Created: t.Created, Expires: t.Expires, Revoked: t.Revoked}
	})
}
