package config

import "fmt"

// StaffLangs are the languages the staff channels can speak: those of the
// message catalog.
var StaffLangs = []string{"zh-Hans", "zh-Hant", "en"}

// StaffLanguage is the language of the shared staff channels: StaffLang,
// or zh-Hans when it is not set.
func (c *Config) StaffLanguage() string {
	if c.StaffLang == "" {
		return StaffLangs[0]
	}
	return c.StaffLang
}

func (c *Config) validateStaffLang() error {
	if c.StaffLang == "" {
		return nil
	}
	for _, l := range StaffLangs {
		if c.StaffLang == l {
			return nil
		}
	}
	return fmt.Errorf("config: staff_lang (FRONTDESK_STAFF_LANG): %q is not a language of the desk; use zh-Hans, zh-Hant or en", c.StaffLang)
}
