package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Edits, photos, albums and edited messages in the fake.

// editMarkup takes an editMessageReplyMarkup: within the limits like a
// send, on a message the bot sent to that chat (else 400, as Telegram).
func (f *Server) editMarkup(w http.ResponseWriter, r *http.Request) {
	chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	id, _ := strconv.Atoi(r.Form.Get("message_id"))
	f.mu.Lock()
	if owner, ok := f.sentIn[id]; !ok || owner != chat {
		f.mu.Unlock()
		f.reply(w, false, nil, 400, "Bad Request: message to edit not found", 0)
		return
	}
	if f.overLimits(chat) && f.strict {
		f.mu.Unlock()
		f.reply(w, false, nil, 429, failureText(429, 1), 1)
		return
	}
	e := SentMessage{ChatID: chat, MessageID: id, Method: "editMessageReplyMarkup", At: f.now()}
	if rm := r.Form.Get("reply_markup"); rm != "" {
		json.Unmarshal([]byte(rm), &e.ReplyMarkup)
	}
	f.edits = append(f.edits, e)
	f.mu.Unlock()
	f.reply(w, true, map[string]any{"message_id": id, "date": 0, "chat": map[string]any{"id": chat, "type": "private"}}, 0, "", 0)
}

// Edits is every editMessageReplyMarkup the server took, in order.
func (f *Server) Edits() []SentMessage { return snapshot(&f.mu, &f.edits) }

// Asking is the id of the last message sent to chat with an inline
// keyboard (0 when none).
func (f *Server) Asking(chat int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asking[chat]
}

// formFile reads a multipart file field (sendPhoto's photo).
func formFile(r *http.Request, field string) []byte {
	file, _, err := r.FormFile(field)
	if err != nil {
		return nil
	}
	defer file.Close()
	data, _ := io.ReadAll(file)
	return data
}

// CallbackOn is a tap on a button of message msgID in chat (0: names no
// message, as Callback and CallbackFrom).
func CallbackOn(chat int64, msgID int, data, lang string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": fmt.Sprintf("cb-%d-%d-%s", chat, msgID, data), "from": UserOf(chat, lang),
		"data": data, "chat_instance": "x", "message": map[string]any{"message_id": msgID, "date": 0, "chat": ChatOf(chat)}}}
}

// TextAs is a text message of chat with its own message id.
func TextAs(chat int64, msgID int, text, lang string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": msgID, "date": 0, "from": UserOf(chat, lang), "chat": ChatOf(chat), "text": text}}
}

// EditedText is the customer's edit of their message msgID to text.
func EditedText(chat int64, msgID int, text, lang string) map[string]any {
	return map[string]any{"edited_message": map[string]any{"message_id": msgID, "date": 0, "edit_date": 1, "from": UserOf(chat, lang),
		"chat": ChatOf(chat), "text": text}}
}

// AlbumPhoto is one photo of an album (media_group_id group) of chat.
func AlbumPhoto(chat int64, msgID int, fileID, group, lang string) map[string]any {
	u := PhotoFrom(chat, fileID, 1000, lang)
	m := u["message"].(map[string]any)
	m["message_id"], m["media_group_id"] = msgID, group
	return u
}

// PushBatch queues updates at once, so one getUpdates answer carries them
// all (an album's photos); it returns their update ids.
func (f *Server) PushBatch(us ...map[string]any) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]int, len(us))
	for i, u := range us {
		f.nextID++
		u["update_id"] = f.nextID
		f.updates = append(f.updates, u)
		ids[i] = f.nextID
	}
	return ids
}

// AnswerText is the text a tap (its callback id) was answered with; ""
// when it was answered without one.
func (f *Server) AnswerText(callbackID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answerTexts[callbackID]
}
