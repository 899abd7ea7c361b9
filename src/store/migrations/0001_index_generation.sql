CREATE TABLE "index_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"generation" bigint NOT NULL
);
