// Command fengqiao-token prints an access token from the OpenID provider of
// `make run`, for curl:
//
//	make token USER=officer-622901              # a person: authorization code + PKCE
//	make token CLIENT=police-system-622901      # an agency's system: client credentials
//	TOKEN=$(make -s token USER=centre-622901)
//
// It logs in as the provider's sample users (devstack/idp, directory.go)
// with their public development password; -list names them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"fengqiao.dev/devstack/idp"
)

func main() {
	issuer := flag.String("issuer", "http://127.0.0.1:8090", "the provider `make run` started")
	user := flag.String("user", "", "a sample user, e.g. officer-622901, centre-620902, mediator-370202, committee-622901, or a roster's mediator, e.g. lx-zq-v01")
	client := flag.String("client", "", "a sample agency client, e.g. police-system-622901, jurisdiction-system-620902")
	list := flag.Bool("list", false, "list the sample users and clients")
	flag.Parse()
	if *list {
		for _, u := range idp.Users() {
			fmt.Printf("user   %-22s %s %s %s %s\n", u.Name, u.Caller.County, u.Caller.Agency, u.Caller.Role, u.Caller.Officer)
		}
		for _, s := range idp.Systems() {
			fmt.Printf("client %-22s %s %s %s\n", s.ClientID, s.Caller.County, s.Caller.Agency, s.Caller.Role)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var token string
	var err error
	switch {
	case *user != "" && *client == "":
		token, err = idp.UserToken(ctx, *issuer, *user, idp.DevPassword)
	case *client != "" && *user == "":
		token, err = idp.SystemToken(ctx, *issuer, *client, idp.DevSecret)
	default:
		err = fmt.Errorf("name one -user or one -client (-list shows them)")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fengqiao-token:", err)
		os.Exit(1)
	}
	fmt.Println(token)
}
