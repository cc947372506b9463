package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/internal/password"
)

const staffUsage = `frontdesk staff add LOGIN --name NAME --role ROLE [--lang zh-Hans|zh-Hant|en] [--slack SLACK_USER_ID] [--password-stdin]
  frontdesk staff passwd LOGIN [--password-stdin]
  frontdesk staff role LOGIN ROLE
  frontdesk staff disable|enable LOGIN
  frontdesk staff slack LOGIN SLACK_USER_ID|-
  frontdesk staff list
roles: clerk, supervisor, duty_manager, general_manager, admin; a password has at least 10 characters
(without --password-stdin one is made up and printed once)`

// staffActor is who the audit trail says changed an account from here.
const staffActor = "command line"

// staffCmd is `frontdesk staff …`: the staff accounts (STF-1) from the
// command line, with the same rules and audit trail as /staff/admin. A
// password is read from stdin with --password-stdin, else made up and
// printed once.
func staffCmd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, staffUsage)
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("staff "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("name", "", "the name colleagues know (add)")
	role := fs.String("role", "", "clerk, supervisor, duty_manager, general_manager or admin (add)")
	lang := fs.String("lang", "", "the staff pages' language: zh-Hans (default), zh-Hant or en (add)")
	slack := fs.String("slack", "", "the Slack member ID to link (add)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return fmt.Errorf("%w: %v\n%s", errUsage, err, staffUsage)
	}
	want := map[string]int{"add": 1, "passwd": 1, "role": 2, "disable": 1, "enable": 1, "slack": 2, "list": 0}
	n, known := want[sub]
	if !known {
		return fmt.Errorf("%w: unknown staff command %q\n%s", errUsage, sub, staffUsage)
	}
	if len(pos) != n {
		return fmt.Errorf("%w: staff %s takes %d argument(s), got %d\n%s", errUsage, sub, n, len(pos), staffUsage)
	}
	if sub != "add" && (*name != "" || *role != "" || *lang != "" || *slack != "") || sub != "add" && sub != "passwd" && *fromStdin {
		return fmt.Errorf("%w: staff %s takes none of those flags\n%s", errUsage, sub, staffUsage)
	}
	pw, made := "", ""
	if sub == "add" || sub == "passwd" {
		if *fromStdin {
			if pw, err = readPassword(stdin); err != nil {
				return err
			}
		} else {
			pw = password.Generate()
			made = pw
		}
	}
	db, err := openConfigured(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	d := &bot.Desk{Store: db, Now: time.Now}
	login := ""
	if len(pos) > 0 {
		login = bot.NormalizeLogin(pos[0])
	}
	switch sub {
	case "add":
		if *name == "" || *role == "" {
			return fmt.Errorf("%w: staff add needs --name and --role\n%s", errUsage, staffUsage)
		}
		r, err := bot.ParseRole(*role)
		if err != nil {
			return staffErr(err)
		}
		a, err := d.AddAccount(ctx, staffActor, bot.NewAccount{Login: login, Name: *name, Role: r, Password: pw, Lang: *lang, SlackUserID: *slack})
		if err != nil {
			return staffErr(err)
		}
		fmt.Fprintf(stdout, "added %s (%s, %s, %s)\n", a.Login, a.Name, a.Role, a.Lang)
	case "passwd":
		if err := d.SetPassword(ctx, staffActor, login, pw); err != nil {
			return staffErr(err)
		}
		fmt.Fprintf(stdout, "new password set for %s; its sessions have ended\n", login)
	case "role":
		r, err := bot.ParseRole(pos[1])
		if err != nil {
			return staffErr(err)
		}
		if err := d.SetRole(ctx, staffActor, login, r); err != nil {
			return staffErr(err)
		}
		fmt.Fprintf(stdout, "%s is now %s\n", login, r)
	case "disable", "enable":
		if err := d.SetDisabled(ctx, staffActor, login, sub == "disable"); err != nil {
			return staffErr(err)
		}
		if sub == "disable" {
			fmt.Fprintf(stdout, "disabled %s; its sessions have ended\n", login)
		} else {
			fmt.Fprintf(stdout, "enabled %s\n", login)
		}
	case "slack":
		id := pos[1]
		if id == "-" {
			id = ""
		}
		if err := d.LinkSlack(ctx, staffActor, login, id); err != nil {
			return staffErr(err)
		}
		if id == "" {
			fmt.Fprintf(stdout, "%s is no longer linked to Slack\n", login)
		} else {
			fmt.Fprintf(stdout, "%s is linked to the Slack user %s\n", login, id)
		}
	case "list":
		accounts, err := d.Accounts(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "LOGIN\tNAME\tROLE\tLANG\tSLACK\tSTATUS")
		for _, a := range accounts {
			status := "active"
			if a.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Login, a.Name, a.Role, a.Lang, orDash(a.SlackUserID), status)
		}
		return tw.Flush()
	}
	if made != "" {
		fmt.Fprintf(stdout, "password (shown this once): %s\n", made)
	}
	return nil
}

// staffErr says a refused change in its own words (the rule broken, the
// login unknown or taken), not as a wrapped store error.
func staffErr(err error) error {
	if code := cases.ErrorCode(err); code != cases.Internal && code != cases.Unavailable {
		return fmt.Errorf("staff: %s; nothing was changed", cases.ErrorMessage(err))
	}
	return err
}

// readPassword reads the first line of r.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("staff: --password-stdin, but there is no standard input")
	}
	line, err := bufio.NewReader(io.LimitReader(r, password.MaxBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("staff: reading the password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("staff: --password-stdin, but standard input has no password on its first line")
	}
	return line, nil
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments (`staff add li --name 小李`), and returns those.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
