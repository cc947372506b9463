package base

import (
	"context"
	"testing"
)

func TestRedisAnswersAndPrefixesDiffer(t *testing.T) {
	rdb := Redis(t)
	key := RedisPrefix(t) + "k"
	if err := rdb.Set(context.Background(), key, "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	defer rdb.Del(context.Background(), key)
	if got := rdb.Get(context.Background(), key).Val(); got != "v" {
		t.Fatalf("got %q", got)
	}
	if RedisPrefix(t) == RedisPrefix(t) {
		t.Error("two prefixes of one test are equal")
	}
}

func TestThrowawayRedisStarts(t *testing.T) {
	url, err := findRedisAt("127.0.0.1:1") // nothing answers there
	if err != nil {
		t.Fatal(err)
	}
	if url == "redis://127.0.0.1:1/0" || !RedisAnswers(url[len("redis://"):len(url)-len("/0")]) {
		t.Fatalf("no throwaway server answers at %s", url)
	}
}
