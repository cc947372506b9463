package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"time"

	"frontdesk/bot"
	"frontdesk/conversations"
	"frontdesk/internal/photos"
)

// uploadWindow is the window of the per-session upload cap.
const uploadWindow = 24 * time.Hour

// maxField bounds a form field other than the file.
const maxField = 256

// postPhoto takes one photo, in this order: the address's rate, a slot
// among the concurrent uploads, the session (from the query string or a
// field before the file), the session's daily cap; then the file is
// streamed to disk (never held whole in memory), its type sniffed from its
// first bytes, and handed to the dialog. The file is kept only when the
// dialog (or another record) holds it afterwards.
func (c *Chat) postPhoto(w http.ResponseWriter, r *http.Request) {
	if !c.allow(w, r, c.uploadRate, "too many photos from this address") {
		return
	}
	release, ok := c.uploadSlot(w)
	if !ok {
		return
	}
	defer release()
	// The body may be the photo limit plus the form's own fields.
	r.Body = http.MaxBytesReader(w, r.Body, c.Photos.MaxBytes+64<<10)
	form, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_form", "want a multipart form with a file field named \"file\"")
		return
	}
	up := photoRequest{token: r.URL.Query().Get("session")}
	defer up.discard(c) // unless it was decided
	for {
		part, err := form.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.partFailed(w, r, &up, err)
			return
		}
		if !c.readPart(w, r, &up, part) {
			return
		}
	}
	if up.upload == nil {
		writeError(w, http.StatusBadRequest, "bad_form", "want a multipart form with a file field named \"file\"")
		return
	}
	in, ok := inbound(w, up.s, up.id, up.lang)
	if !ok {
		return
	}
	in.Photo, in.Echo = &up.upload.Photo, true
	if up.album != "" {
		in.Album, in.AlbumLast = "web:"+up.album, up.last
	}
	err = c.Desk.Handle(r.Context(), in)
	if err != nil && !errors.Is(err, bot.ErrDuplicate) {
		c.logError("webchat: handle photo", up.s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the desk could not take the photo; send it again")
		return
	}
	kept := c.decide(r, &up)
	if errors.Is(err, bot.ErrDuplicate) {
		writeJSON(w, http.StatusOK, map[string]bool{"duplicate": true})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]bool{"accepted": true, "kept": kept})
}

// photoRequest is what an upload request said so far.
type photoRequest struct {
	token, id, lang string
	// album names the several files a customer picked at once, and last
	// marks the last of them: the bot acknowledges the album once, after
	// its last photo, as it does a Telegram album (issue 19).
	album   string
	last    bool
	s       session
	checked bool // the session was checked
	upload  *photos.Upload
}

// discard gives up an upload not yet decided (the request failed).
func (up *photoRequest) discard(c *Chat) {
	if up.upload == nil {
		return
	}
	if err := up.upload.Discard(); err != nil {
		c.logError("webchat: discard photo", up.s, err)
	}
	up.upload = nil
}

// decide keeps the upload when the dialog or another record holds it, and
// discards it otherwise; when that cannot be told, it is kept.
func (c *Chat) decide(r *http.Request, up *photoRequest) bool {
	u := up.upload
	// Decided even when the client went away meanwhile: the step is done.
	inUse, err := c.Desk.PhotoInUse(context.WithoutCancel(r.Context()), ChannelName, up.s.id, u.SHA256)
	if err != nil {
		c.logError("webchat: photo in use", up.s, err)
		inUse = true
	}
	if inUse {
		u.Keep()
		up.upload = nil
		return true
	}
	up.discard(c)
	return false
}

// readPart reads one part of the form; on a problem it has answered and
// returns false.
func (c *Chat) readPart(w http.ResponseWriter, r *http.Request, up *photoRequest, part *multipart.Part) bool {
	defer part.Close()
	name := part.FormName()
	if name != "file" {
		b, err := io.ReadAll(io.LimitReader(part, maxField+1))
		if err != nil {
			c.partFailed(w, r, up, err)
			return false
		}
		if len(b) > maxField {
			writeError(w, http.StatusBadRequest, "bad_form", "form field "+truncate(name, 32)+": too long")
			return false
		}
		switch name {
		case "session":
			if up.token != "" && up.token != string(b) {
				writeError(w, http.StatusBadRequest, "bad_session", "session: the query string and the form name different sessions")
				return false
			}
			up.token = string(b)
		case "id":
			up.id = string(b)
		case "lang":
			up.lang = string(b)
		case "album":
			if !validAlbum(string(b)) {
				writeError(w, http.StatusBadRequest, "bad_form", "album: at most 64 letters, digits, - or _")
				return false
			}
			up.album = string(b)
		case "last":
			up.last = string(b) == "1"
		}
		return true
	}
	if up.upload != nil {
		writeError(w, http.StatusBadRequest, "bad_form", "one file per request")
		return false
	}
	if up.token == "" {
		writeError(w, http.StatusUnauthorized, "bad_session", "session: send it in the query string or in a field before the file")
		return false
	}
	s, ok := c.session(w, r, up.token, false)
	if !ok {
		return false
	}
	up.s, up.checked = s, true
	counted, err := c.Sessions.CountWebUpload(r.Context(), s.hash, c.Limits.UploadsPerSessionDay, uploadWindow, c.now())
	if err != nil {
		c.logError("webchat: count upload", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the photo could not be taken; try again")
		return false
	}
	if !counted {
		writeError(w, http.StatusTooManyRequests, "upload_limit",
			"this chat has sent the most photos a chat may send in a day; start a new chat or call the shop")
		return false
	}
	body := &readErr{r: part}
	u, err := c.Photos.Receive(body)
	switch {
	case err == nil:
		up.upload = u
		return true
	case errors.Is(err, photos.ErrTooLarge):
		c.rejectPhoto(w, r, up, conversations.RejectTooLarge)
	case errors.Is(err, photos.ErrNotImage):
		c.rejectPhoto(w, r, up, conversations.RejectNotImage)
	case body.err != nil:
		c.partFailed(w, r, up, body.err)
	default:
		c.logError("webchat: store photo", s, err)
		writeError(w, http.StatusInternalServerError, "internal", "the photo could not be stored; try again")
	}
	return false
}

// partFailed answers a form that could not be read: over the size limit
// (the bot says so in the chat when the session is known), or cut off.
func (c *Chat) partFailed(w http.ResponseWriter, r *http.Request, up *photoRequest, err error) {
	up.discard(c)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		c.rejectPhoto(w, r, up, conversations.RejectTooLarge)
		return
	}
	writeError(w, http.StatusBadRequest, "bad_form", "the form could not be read whole; send the photo again")
}

// rejectPhoto tells the customer in the chat, in their language, why the
// upload was refused (when the session was checked), and answers the
// request with the matching status.
func (c *Chat) rejectPhoto(w http.ResponseWriter, r *http.Request, up *photoRequest, why conversations.Rejection) {
	status, code, text := http.StatusUnsupportedMediaType, "not_image", "the file is not a JPEG, PNG, GIF or WebP image"
	if why == conversations.RejectTooLarge {
		status, code, text = http.StatusRequestEntityTooLarge, "too_large", "the file is over the upload limit"
	}
	if up.checked {
		if in, ok := inbound(nil, up.s, up.id, up.lang); ok {
			in.Rejected = why
			if err := c.Desk.Handle(r.Context(), in); err != nil && !errors.Is(err, bot.ErrDuplicate) {
				c.logError("webchat: rejection reply", up.s, err)
			}
		}
	}
	writeError(w, status, code, text)
}

// readErr remembers the error of reading the request, to tell it from one
// of writing the file.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) {
		e.err = err
	}
	return n, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// historyScan bounds how far back ownPhoto looks for the customer's photo.
const historyScan = 2000

// getPhoto serves one of the customer's own photos to their chat's page
// (its history after a reload): only a photo the chat's history shows the
// customer sent, and only while the desk keeps it.
func (c *Chat) getPhoto(w http.ResponseWriter, r *http.Request) {
	s, ok := c.session(w, r, r.URL.Query().Get("session"), false)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	mime, found, err := c.ownPhoto(r.Context(), s.id, sha)
	if err != nil {
		c.logError("webchat: read history for a photo", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the photo could not be read; try again")
		return
	}
	if !found {
		writeError(w, http.StatusNotFound, "no_photo", "this chat sent no such photo")
		return
	}
	body, err := c.Photos.Read(sha, mime)
	if err != nil {
		writeError(w, http.StatusNotFound, "no_photo", "the photo is no longer kept")
		return
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

// ownPhoto looks in the chat's history for the photo sha (the customer's,
// or one the desk sent to the chat) and
// returns its type.
func (c *Chat) ownPhoto(ctx context.Context, session, sha string) (mime string, found bool, err error) {
	for after, seen := int64(0), 0; seen < historyScan; {
		rows, err := c.History.OutboxAfter(ctx, ChannelName, session, after, 200)
		if err != nil || len(rows) == 0 {
			return "", false, err
		}
		for _, row := range rows {
			var m bot.Message
			// The customer's own photo, or one the desk sent to this chat
			// (a provider's chat gets the problem photos of its own job):
			// a photo is served only to the chat whose history holds it.
			if json.Unmarshal(row.Payload, &m) == nil && m.Photo == sha && sha != "" {
				return m.PhotoMIME, true, nil
			}
			after = row.ID
		}
		seen += len(rows)
	}
	return "", false, nil
}

// validAlbum accepts the page's own album ids: short, plain characters.
func validAlbum(a string) bool {
	if a == "" || len(a) > 64 {
		return false
	}
	for _, r := range a {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
