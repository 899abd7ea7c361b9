CREATE TABLE "alert_deliveries" (
	"alert_id" bigint NOT NULL,
	"webhook" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alert_deliveries_alert_id_webhook_pk" PRIMARY KEY("alert_id","webhook")
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"repo_id" integer,
	"subject" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alerts_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"repo_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"size" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"repo_id" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"check_id" text NOT NULL,
	"severity" text NOT NULL,
	"outcome" text NOT NULL,
	"waived" boolean NOT NULL,
	"resource" text NOT NULL,
	"file" text NOT NULL,
	"line" integer,
	"message" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"first_seen_run_id" bigint NOT NULL,
	"first_seen_key" text NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"last_seen_run_id" bigint NOT NULL,
	"last_seen_key" text NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_run_id" bigint,
	"resolved_key" text,
	CONSTRAINT "findings_repo_id_fingerprint_pk" PRIMARY KEY("repo_id","fingerprint")
);
--> statement-breakpoint
CREATE TABLE "indexed_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"log_idx" bigint NOT NULL,
	"envelope_sha256" text NOT NULL,
	"leaf_hash" text NOT NULL,
	"predicate_type" text NOT NULL,
	"repo_id" integer,
	"key_id" text,
	"recorded_at" timestamp with time zone,
	CONSTRAINT "indexed_entries_envelope_sha256_unique" UNIQUE("envelope_sha256")
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root_hash" text NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"idx" bigint PRIMARY KEY NOT NULL,
	"body" "bytea" NOT NULL,
	"leaf_hash" "bytea" NOT NULL,
	"envelope_sha256" text NOT NULL,
	"run_uuid" text,
	"repo_id" integer,
	"appended_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "log_entries_envelope_sha256_unique" UNIQUE("envelope_sha256"),
	CONSTRAINT "log_entries_run_uuid_unique" UNIQUE("run_uuid")
);
--> statement-breakpoint
CREATE TABLE "log_nodes" (
	"level" integer NOT NULL,
	"idx" bigint NOT NULL,
	"hash" "bytea" NOT NULL,
	CONSTRAINT "log_nodes_level_idx_pk" PRIMARY KEY("level","idx")
);
--> statement-breakpoint
CREATE TABLE "manual_evidence" (
	"entry_id" bigint PRIMARY KEY NOT NULL,
	"repo_id" integer NOT NULL,
	"control_id" text NOT NULL,
	"path" text NOT NULL,
	"sha256" text NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"added_by" text
);
--> statement-breakpoint
CREATE TABLE "repo_daily" (
	"repo_id" integer NOT NULL,
	"day" text NOT NULL,
	"framework" text NOT NULL,
	"run_id" bigint NOT NULL,
	"order_key" text NOT NULL,
	"passing" integer NOT NULL,
	"in_scope" integer NOT NULL,
	CONSTRAINT "repo_daily_repo_id_day_framework_pk" PRIMARY KEY("repo_id","day","framework")
);
--> statement-breakpoint
CREATE TABLE "repositories" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"public_key_pem" text,
	"key_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "repositories_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "run_controls" (
	"run_id" bigint NOT NULL,
	"control_id" text NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"checks" jsonb NOT NULL,
	"satisfies" jsonb NOT NULL,
	"evidence" jsonb,
	CONSTRAINT "run_controls_run_id_control_id_pk" PRIMARY KEY("run_id","control_id")
);
--> statement-breakpoint
CREATE TABLE "run_findings" (
	"run_id" bigint NOT NULL,
	"fingerprint" text NOT NULL,
	"check_id" text NOT NULL,
	"severity" text NOT NULL,
	"outcome" text NOT NULL,
	"waived" boolean NOT NULL,
	"resource" text NOT NULL,
	"file" text NOT NULL,
	"line" integer,
	"message" text NOT NULL,
	"waiver" jsonb,
	CONSTRAINT "run_findings_run_id_fingerprint_pk" PRIMARY KEY("run_id","fingerprint")
);
--> statement-breakpoint
CREATE TABLE "run_frameworks" (
	"run_id" bigint NOT NULL,
	"framework" text NOT NULL,
	"passing" integer NOT NULL,
	"in_scope" integer NOT NULL,
	"percent" double precision NOT NULL,
	"counts" jsonb NOT NULL,
	"requirements" jsonb NOT NULL,
	CONSTRAINT "run_frameworks_run_id_framework_pk" PRIMARY KEY("run_id","framework")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" bigint NOT NULL,
	"repo_id" integer NOT NULL,
	"run_uuid" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"order_key" text NOT NULL,
	"commit" text,
	"ref" text,
	"ci_url" text,
	"exit_code" integer NOT NULL,
	"failing" integer NOT NULL,
	"findings_total" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"diagnostics" jsonb NOT NULL,
	"built_in_map" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "waivers" (
	"repo_id" integer NOT NULL,
	"check_id" text NOT NULL,
	"resource" text NOT NULL,
	"reason" text NOT NULL,
	"owner" text NOT NULL,
	"expires" text NOT NULL,
	"run_id" bigint NOT NULL,
	CONSTRAINT "waivers_repo_id_check_id_resource_pk" PRIMARY KEY("repo_id","check_id","resource")
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_repo_id_repositories_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."repositories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_entries" ADD CONSTRAINT "log_entries_repo_id_repositories_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."repositories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_evidence" ADD CONSTRAINT "manual_evidence_entry_id_indexed_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."indexed_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_controls" ADD CONSTRAINT "run_controls_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_findings" ADD CONSTRAINT "run_findings_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_frameworks" ADD CONSTRAINT "run_frameworks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_entry_id_indexed_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."indexed_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_repo_id_repositories_id_fk" FOREIGN KEY ("repo_id") REFERENCES "public"."repositories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_created" ON "alerts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "api_tokens_repo" ON "api_tokens" USING btree ("repo_id");--> statement-breakpoint
CREATE INDEX "findings_open" ON "findings" USING btree ("resolved_at","severity");--> statement-breakpoint
CREATE INDEX "findings_first_seen" ON "findings" USING btree ("first_seen_at");--> statement-breakpoint
CREATE INDEX "findings_repo_last" ON "findings" USING btree ("repo_id","last_seen_key");--> statement-breakpoint
CREATE UNIQUE INDEX "indexed_entries_pos" ON "indexed_entries" USING btree ("source","log_idx");--> statement-breakpoint
CREATE INDEX "log_entries_repo" ON "log_entries" USING btree ("repo_id");--> statement-breakpoint
CREATE INDEX "manual_evidence_control" ON "manual_evidence" USING btree ("repo_id","control_id","collected_at");--> statement-breakpoint
CREATE INDEX "run_findings_check" ON "run_findings" USING btree ("run_id","check_id");--> statement-breakpoint
CREATE INDEX "run_findings_fingerprint" ON "run_findings" USING btree ("fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_entry" ON "runs" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "runs_repo_order" ON "runs" USING btree ("repo_id","order_key");--> statement-breakpoint
CREATE INDEX "runs_recorded" ON "runs" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");