/* SPDX-License-Identifier: GPL-3.0-or-later */
/* creds_load(): every route, precedence, route taken whole, token file, INI
 * variants, file limits, the permission warning, the CVM role and AssumeRole
 * settings, the identity, and that no message or warning ever carries a secret.
 * Each scenario runs in its own temp directory, which is also $HOME. */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "creds.h"
#include "cvm.h"
#include "secfile.h"
#include "tap.h"

/* Distinctive secrets: none of them may appear in a message or warning. */
#define KEY1 "K3yV4lue0001"
#define KEY2 "K3yV4lue0002"
#define KEY3 "K3yV4lue0003"
#define TOK1 "T0kenV4l0001"
#define TOK2 "T0kenV4l0002"
#define TOK3 "T0kenV4l0003"
#define BIG  (-1) /* file_spec.len: SECFILE_MAX + 1 bytes */
#define FULL (-2) /* file_spec.len: exactly SECFILE_MAX bytes, key on line 1 */
#define ARN  "qcs::cam::uin/100012345678:roleName/monitor"
#define DEF  ".tencentcloud/credentials"

struct file_spec {
	const char *name; /* relative to the scenario directory */
	const char *content;
	long len; /* 0 = strlen(content) */
	int mode; /* 0 = 0600 */
};

struct scen {
	const char *name;
	const char *env_id, *env_key, *env_token, *env_file; /* NULL = unset */
	struct creds_opts o; /* file names starting with '@' are in the scenario directory */
	struct file_spec files[3];
	enum creds_err rc;
	const char *id, *key, *token; /* expected on CREDS_OK */
	const char *msg;              /* substring of message on error */
	const char *warn;             /* substring of warning; "" = warning must be empty */
	const char *source;           /* substring of source on CREDS_OK */
	const char *cvm, *arn, *session, *identity; /* expected on CREDS_OK when non-NULL */
};

static const char ini_two[] = "# SDK credentials\n"
                              "[default]\n"
                              "secret_id = AKIDdefault\n"
                              "secret_key = " KEY3 "\n"
                              "\n"
                              "; second profile\n"
                              "[prod]\n"
                              "secret_id=AKIDprod\n"
                              "secret_key=" KEY2 "\n"
                              "token=" TOK2 "\n";

static const struct scen scens[] = {
    /* route 1 */
    {"key file", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", KEY1 "\n", 0, 0}}, .rc = CREDS_OK, .id = "AKIDcli", .key = KEY1, .token = "",
     .warn = "", .source = "command line"},
    {"key file CRLF, spaces, second line ignored",
     .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", "  " KEY1 " \r\nsecond line\n", 0, 0}}, .rc = CREDS_OK, .id = "AKIDcli",
     .key = KEY1, .token = ""},
    {"key file without newline", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", KEY1, 0, 0}}, .rc = CREDS_OK, .id = "AKIDcli", .key = KEY1, .token = ""},
    {"key file empty", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", "", 0, 0}}, .rc = CREDS_ERR_FILE, .msg = "is empty"},
    {"key file first line blank", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", "\r\n" KEY1 "\n", 0, 0}}, .rc = CREDS_ERR_FILE, .msg = "is empty"},
    {"key file missing", .o = {.secret_id = "AKIDcli", .secret_key_file = "@nokey"},
     .rc = CREDS_ERR_FILE, .msg = "cannot open"},
    {"key file too big", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", NULL, BIG, 0}}, .rc = CREDS_ERR_FILE, .msg = "larger than"},
    {"key file of exactly the cap", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", NULL, FULL, 0}}, .rc = CREDS_OK, .id = "AKIDcli", .key = KEY1},
    {"key file with NUL", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", KEY1 "\0x\n", 15, 0}}, .rc = CREDS_ERR_FILE, .msg = "NUL byte"},
    {"key file is a directory", .o = {.secret_id = "AKIDcli", .secret_key_file = "@.tencentcloud"},
     .files = {{DEF, "", 0, 0}}, .rc = CREDS_ERR_FILE, .msg = "not a regular file"},
    {"key too long", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", NULL, 300, 0}}, .rc = CREDS_ERR_FILE, .msg = "too long"},
    {"key with a control character", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", KEY1 "\x01x\n", 0, 0}}, .rc = CREDS_ERR_FILE, .msg = "control"},
    {"key file readable by others warns", .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", KEY1 "\n", 0, 0644}}, .rc = CREDS_OK, .id = "AKIDcli", .key = KEY1,
     .warn = "is readable by group or others (chmod 600)"},
    {"--secret-key", .o = {.secret_id = "AKIDcli", .secret_key = KEY1}, .rc = CREDS_OK,
     .id = "AKIDcli", .key = KEY1, .token = "", .warn = "visible in ps"},
    {"--secret-key with a space", .o = {.secret_id = "AKIDcli", .secret_key = KEY1 " x"},
     .rc = CREDS_ERR_USAGE, .msg = "--secret-key contains"},
    {"--secret-id with a newline", .o = {.secret_id = "AKID\ncli", .secret_key = KEY1},
     .rc = CREDS_ERR_USAGE, .msg = "--secret-id contains"},
    {"--secret-id without key", .o = {.secret_id = "AKIDcli"}, .env_id = "AKIDenv", .env_key = KEY2,
     .rc = CREDS_ERR_USAGE, .msg = "--secret-id needs --secret-key-file or --secret-key"},
    {"--secret-key without id", .o = {.secret_key = KEY1}, .env_id = "AKIDenv", .env_key = KEY2,
     .rc = CREDS_ERR_USAGE, .msg = "--secret-key needs --secret-id"},
    {"--secret-key-file without id", .o = {.secret_key_file = "@key"},
     .files = {{"key", KEY1 "\n", 0, 0}}, .rc = CREDS_ERR_USAGE,
     .msg = "--secret-key-file needs --secret-id"},
    {"both key options",
     .o = {.secret_id = "AKIDcli", .secret_key = KEY1, .secret_key_file = "@key"},
     .files = {{"key", KEY1 "\n", 0, 0}}, .rc = CREDS_ERR_USAGE, .msg = "exclude each other"},
    {"route 1 beats environment and profile; env token not mixed in", .env_id = "AKIDenv",
     .env_key = KEY2, .env_token = TOK2, .o = {.secret_id = "AKIDcli", .secret_key_file = "@key"},
     .files = {{"key", KEY1 "\n", 0, 0}, {DEF, ini_two, 0, 0}}, .rc = CREDS_OK, .id = "AKIDcli",
     .key = KEY1, .token = ""},
    /* route 2 */
    {"environment", .env_id = "AKIDenv", .env_key = KEY2, .rc = CREDS_OK, .id = "AKIDenv",
     .key = KEY2, .token = "", .warn = "", .source = "environment"},
    {"environment with token", .env_id = "AKIDenv", .env_key = KEY2, .env_token = TOK2,
     .rc = CREDS_OK, .id = "AKIDenv", .key = KEY2, .token = TOK2},
    {"environment beats profile", .env_id = "AKIDenv", .env_key = KEY2,
     .files = {{DEF, ini_two, 0, 0}}, .rc = CREDS_OK, .id = "AKIDenv", .key = KEY2, .token = ""},
    {"env id without key", .env_id = "AKIDenv", .files = {{DEF, ini_two, 0, 0}},
     .rc = CREDS_ERR_MISSING, .msg = "TENCENTCLOUD_SECRET_KEY is not set"},
    {"env key without id", .env_key = KEY2, .files = {{DEF, ini_two, 0, 0}},
     .rc = CREDS_ERR_MISSING, .msg = "TENCENTCLOUD_SECRET_ID is not set"},
    {"env key with a control character", .env_id = "AKIDenv", .env_key = KEY2 "\t",
     .rc = CREDS_ERR_MISSING, .msg = "TENCENTCLOUD_SECRET_KEY contains"},
    {"env token alone is ignored, with a warning", .env_token = TOK2,
     .files = {{DEF, ini_two, 0, 0}}, .rc = CREDS_OK, .id = "AKIDdefault", .key = KEY3, .token = "",
     .warn = "TENCENTCLOUD_SESSION_TOKEN is ignored"},
    /* route 3 */
    {"default profile in $HOME", .files = {{DEF, ini_two, 0, 0}}, .rc = CREDS_OK,
     .id = "AKIDdefault", .key = KEY3, .token = "", .warn = "", .source = "profile default in"},
    {"named profile with token", .o = {.profile = "prod"}, .files = {{DEF, ini_two, 0, 0}},
     .rc = CREDS_OK, .id = "AKIDprod", .key = KEY2, .token = TOK2, .source = "profile prod in"},
    {"--credentials-file", .o = {.profile = "p", .credentials_file = "@c.ini"},
     .files = {{"c.ini", "[p]\r\nsecret_id = AKIDc\r\nsecret_key = " KEY1 "\r\n", 0, 0},
               {DEF, ini_two, 0, 0}},
     .rc = CREDS_OK, .id = "AKIDc", .key = KEY1, .token = ""},
    {"$TENCENTCLOUD_CREDENTIALS_FILE", .env_file = "@e.ini",
     .files = {{"e.ini", "[default]\nsecret_id=AKIDe\nsecret_key=" KEY1 "\n", 0, 0},
               {DEF, ini_two, 0, 0}},
     .rc = CREDS_OK, .id = "AKIDe", .key = KEY1, .token = ""},
    {"--credentials-file beats the variable", .env_file = "@e.ini",
     .o = {.credentials_file = "@c.ini"},
     .files = {{"e.ini", "[default]\nsecret_id=AKIDe\nsecret_key=" KEY1 "\n", 0, 0},
               {"c.ini", "[default]\nsecret_id=AKIDc\nsecret_key=" KEY1 "\n", 0, 0}},
     .rc = CREDS_OK, .id = "AKIDc", .key = KEY1},
    {"INI variants: colon, tabs, upper-case keys, other keys, comment lines",
     .o = {.profile = "x y"},
     .files = {{DEF,
                "\n  ; c\n#c\n[other]\nsecret_id=AKIDo\n[ x y ]\n\tSECRET_ID\t:\tAKIDx\n"
                "region = ap-guangzhou\n  secret_key =  " KEY1 "  \n Token= " TOK1 "\n",
                0, 0}},
     .rc = CREDS_OK, .id = "AKIDx", .key = KEY1, .token = TOK1},
    {"INI value with '=' inside",
     .files = {{DEF, "[default]\nsecret_id=AKID\nsecret_key=" KEY1 "==\n", 0, 0}}, .rc = CREDS_OK,
     .id = "AKID", .key = KEY1 "=="},
    {"INI syntax error (no delimiter); line not quoted",
     .files = {{DEF, "[default]\nsecret_id=AKID\n" KEY1 "\n", 0, 0}}, .rc = CREDS_ERR_FILE,
     .msg = "line 3: expected [profile] or key = value"},
    {"INI key before any section", .files = {{DEF, "secret_id=AKID\n[default]\n", 0, 0}},
     .rc = CREDS_ERR_FILE, .msg = "line 1:"},
    {"INI unterminated section", .files = {{DEF, "[default\nsecret_id=AKID\n", 0, 0}},
     .rc = CREDS_ERR_FILE, .msg = "line 1:"},
    {"INI duplicate key",
     .files = {{DEF, "[default]\nsecret_key=" KEY1 "\nsecret_key=" KEY2 "\nsecret_id=A\n", 0, 0}},
     .rc = CREDS_ERR_FILE, .msg = "duplicate secret_key"},
    {"INI duplicate profile", .files = {{DEF, "[default]\nsecret_id=A\n[default]\n", 0, 0}},
     .rc = CREDS_ERR_FILE, .msg = "appears twice"},
    {"profile not in file", .o = {.profile = "nope"}, .files = {{DEF, ini_two, 0, 0}},
     .rc = CREDS_ERR_MISSING, .msg = "profile nope not found in"},
    {"profile without secret_key",
     .files = {{DEF, "[default]\nsecret_id = AKID\nsecret_key =\n", 0, 0}}, .rc = CREDS_ERR_MISSING,
     .msg = "profile default in"},
    {"profile without secret_id", .files = {{DEF, "[default]\nsecret_key = " KEY1 "\n", 0, 0}},
     .rc = CREDS_ERR_MISSING, .msg = "has no secret_id"},
    {"profile key too long", .files = {{DEF, NULL, 300, 0}}, .rc = CREDS_ERR_FILE,
     .msg = "secret_key of profile default is too long"},
    {"empty --profile", .o = {.profile = ""}, .rc = CREDS_ERR_USAGE, .msg = "--profile is empty"},
    {"nothing at all", .rc = CREDS_ERR_MISSING,
     .msg = "no credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or "
            "--secret-id with --secret-key-file, or a profile in "},
    {"nothing at all mentions --cvm-role", .rc = CREDS_ERR_MISSING,
     .msg = "credentials, or --cvm-role on a CVM instance"},
    /* route 4: the CVM role, explicit, wins over environment and profile */
    {"--cvm-role auto over environment and profile", .env_id = "AKIDenv", .env_key = KEY2,
     .env_token = TOK2, .o = {.cvm_role = "auto"}, .files = {{DEF, ini_two, 0, 0}}, .rc = CREDS_OK,
     .id = "", .key = "", .token = "", .cvm = "auto", .identity = "cvm-role:auto@" CVM_DEFAULT_URL,
     .warn = "--cvm-role wins", .source = "CVM role auto (metadata service " CVM_DEFAULT_URL ")"},
    {"--cvm-role NAME with --metadata-url",
     .o = {.cvm_role = "ssl-check", .metadata_url = "http://127.0.0.1:9/m/"}, .rc = CREDS_OK,
     .id = "", .key = "", .cvm = "ssl-check",
     .identity = "cvm-role:ssl-check@http://127.0.0.1:9/m/", .warn = ""},
    {"--cvm-role over --profile: a note", .o = {.cvm_role = "auto", .profile = "prod"},
     .files = {{DEF, ini_two, 0, 0}}, .rc = CREDS_OK, .id = "", .key = "", .cvm = "auto",
     .warn = "--profile is ignored: --cvm-role wins"},
    {"--cvm-role with --secret-id", .o = {.cvm_role = "auto", .secret_id = "A", .secret_key = KEY1},
     .rc = CREDS_ERR_USAGE, .msg = "--cvm-role and --secret-id exclude each other"},
    {"--cvm-role with a bad name", .o = {.cvm_role = "a/b"}, .rc = CREDS_ERR_USAGE,
     .msg = "--cvm-role must be auto or a role name"},
    {"--cvm-role with --session-token-file", .o = {.cvm_role = "r", .session_token_file = "@tok"},
     .files = {{"tok", TOK1 "\n", 0, 0}}, .rc = CREDS_ERR_USAGE,
     .msg = "--session-token-file does not apply to --cvm-role"},
    /* AssumeRole settings */
    {"--role-arn over the environment: default session, identity by ARN", .env_id = "AKIDenv",
     .env_key = KEY2, .o = {.role_arn = ARN}, .rc = CREDS_OK, .id = "AKIDenv", .key = KEY2,
     .arn = ARN, .session = "check_tencentcloud_ssl", .identity = "assume-role:" ARN "|AKIDenv"},
    {"--role-arn over a CVM role", .o = {.role_arn = ARN, .cvm_role = "r1"}, .rc = CREDS_OK,
     .id = "", .key = "", .arn = ARN, .cvm = "r1",
     .identity = "assume-role:" ARN "|cvm-role:r1@" CVM_DEFAULT_URL},
    {"profile role_arn and role_session_name",
     .files = {{DEF,
                "[default]\nsecret_id=AKIDp\nsecret_key=" KEY1 "\nrole_arn = " ARN
                "\nrole_session_name=nightly\n",
                0, 0}},
     .rc = CREDS_OK, .id = "AKIDp", .key = KEY1, .arn = ARN, .session = "nightly",
     .identity = "assume-role:" ARN "|AKIDp"},
    {"options win over the profile's role_arn and session",
     .o = {.role_arn = "qcs::cam::uin/1:roleName/other", .role_session_name = "cli-session"},
     .files = {{DEF,
                "[default]\nsecret_id=AKIDp\nsecret_key=" KEY1 "\nrole_arn = " ARN
                "\nrole_session_name=nightly\n",
                0, 0}},
     .rc = CREDS_OK, .id = "AKIDp", .key = KEY1, .arn = "qcs::cam::uin/1:roleName/other",
     .session = "cli-session"},
    {"profile with a bad role_arn",
     .files = {{DEF, "[default]\nsecret_id=AKIDp\nsecret_key=" KEY1 "\nrole_arn = arn:x\n", 0, 0}},
     .rc = CREDS_ERR_FILE, .msg = "line 4: role_arn of profile default must look like"},
    {"profile with a bad role_session_name",
     .files = {{DEF, "[default]\nsecret_id=AKIDp\nsecret_key=" KEY1 "\nrole_session_name=x\n", 0,
                0}},
     .rc = CREDS_ERR_FILE, .msg = "role_session_name of profile default must be 2 to"},
    {"bad --role-arn", .env_id = "AKIDenv", .env_key = KEY2, .o = {.role_arn = "qcs::cam::a b"},
     .rc = CREDS_ERR_USAGE, .msg = "--role-arn must look like"},
    {"bad --role-session-name", .env_id = "AKIDenv", .env_key = KEY2,
     .o = {.role_arn = ARN, .role_session_name = "x"}, .rc = CREDS_ERR_USAGE,
     .msg = "--role-session-name must be 2 to 128"},
    {"no role: identity is the SecretId", .env_id = "AKIDenv", .env_key = KEY2, .rc = CREDS_OK,
     .id = "AKIDenv", .key = KEY2, .arn = "", .cvm = "", .identity = "AKIDenv"},
    {"explicit --credentials-file missing", .o = {.credentials_file = "@none.ini"},
     .files = {{DEF, ini_two, 0, 0}}, .rc = CREDS_ERR_FILE, .msg = "cannot open"},
    {"credentials file too big", .files = {{DEF, NULL, BIG, 0}}, .rc = CREDS_ERR_FILE,
     .msg = "larger than"},
    {"credentials file with NUL", .files = {{DEF, "[default]\nsecret_id=A\0\n", 24, 0}},
     .rc = CREDS_ERR_FILE, .msg = "NUL byte"},
    {"credentials file readable by group warns", .files = {{DEF, ini_two, 0, 0640}}, .rc = CREDS_OK,
     .id = "AKIDdefault", .key = KEY3,
     .warn = "credentials is readable by group or others (chmod 600)"},
    /* --session-token-file */
    {"token file with route 1",
     .o = {.secret_id = "AKIDcli", .secret_key_file = "@key", .session_token_file = "@tok"},
     .files = {{"key", KEY1 "\n", 0, 0}, {"tok", TOK1 "\r\n", 0, 0}}, .rc = CREDS_OK,
     .id = "AKIDcli", .key = KEY1, .token = TOK1},
    {"token file beats env token", .env_id = "AKIDenv", .env_key = KEY2, .env_token = TOK2,
     .o = {.session_token_file = "@tok"}, .files = {{"tok", TOK1 "\n", 0, 0}}, .rc = CREDS_OK,
     .id = "AKIDenv", .key = KEY2, .token = TOK1},
    {"token file beats profile token", .o = {.profile = "prod", .session_token_file = "@tok"},
     .files = {{"tok", TOK3 "\n", 0, 0}, {DEF, ini_two, 0, 0}}, .rc = CREDS_OK, .id = "AKIDprod",
     .key = KEY2, .token = TOK3},
    {"token file empty", .env_id = "AKIDenv", .env_key = KEY2, .o = {.session_token_file = "@tok"},
     .files = {{"tok", "\n", 0, 0}}, .rc = CREDS_ERR_FILE, .msg = "is empty"},
    {"token file missing", .env_id = "AKIDenv", .env_key = KEY2,
     .o = {.session_token_file = "@tok"}, .rc = CREDS_ERR_FILE, .msg = "cannot open"},
    {"token file readable by others warns", .env_id = "AKIDenv", .env_key = KEY2,
     .o = {.session_token_file = "@tok"}, .files = {{"tok", TOK1 "\n", 0, 0604}}, .rc = CREDS_OK,
     .id = "AKIDenv", .key = KEY2, .token = TOK1, .warn = "tok is readable by group or others"},
};

static char *dir_of(const char *base, const char *name, char *buf, size_t cap)
{
	if (!name) return NULL;
	if (name[0] != '@') return (char *)name;
	snprintf(buf, cap, "%s/%s", base, name + 1);
	return buf;
}

static void write_file(const char *dir, const struct file_spec *f)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, f->name);
	char *slash = strrchr(path, '/');
	if (strchr(f->name, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		exit(2);
	}
	if (f->len == BIG) {
		for (long i = 0; i < SECFILE_MAX + 1; i++)
			fputc(i % 64 == 63 ? '\n' : 'a', fp);
	} else if (f->len == FULL) {
		fputs(KEY1 "\n", fp);
		for (long i = (long)strlen(KEY1 "\n"); i < SECFILE_MAX; i++)
			fputc('#', fp);
	} else if (!f->content) { /* a profile or key file whose key is f->len bytes */
		if (strchr(f->name, '/')) fputs("[default]\nsecret_id=AKID\nsecret_key=", fp);
		for (long i = 0; i < f->len; i++)
			fputc('k', fp);
		fputc('\n', fp);
	} else {
		fwrite(f->content, 1, f->len ? (size_t)f->len : strlen(f->content), fp);
	}
	fclose(fp);
	chmod(path, f->mode ? (mode_t)f->mode : 0600);
}

static void set_or_unset(const char *name, const char *v, const char *base)
{
	char buf[512];
	if (v)
		setenv(name, dir_of(base, v, buf, sizeof buf), 1);
	else
		unsetenv(name);
}

static int leaks(const char *s)
{
	static const char *const secrets[] = {KEY1, KEY2, KEY3, TOK1, TOK2, TOK3, "kkkkkkkk"};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(s, secrets[i])) return 1;
	return 0;
}

int main(void)
{
	char root[] = "/tmp/test_creds.XXXXXX";
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	for (size_t i = 0; i < sizeof scens / sizeof scens[0]; i++) {
		const struct scen *s = &scens[i];
		char dir[256], b1[512], b2[512], b3[512], b4[512];
		struct msg why, warning;
		char *msg = why.text, *warn = warning.text;
		static struct creds c;
		struct creds_opts o = s->o;

		snprintf(dir, sizeof dir, "%s/s%zu", root, i);
		mkdir(dir, 0700);
		for (size_t f = 0; f < 3 && s->files[f].name; f++)
			write_file(dir, &s->files[f]);
		setenv("HOME", dir, 1);
		set_or_unset("TENCENTCLOUD_SECRET_ID", s->env_id, dir);
		set_or_unset("TENCENTCLOUD_SECRET_KEY", s->env_key, dir);
		set_or_unset("TENCENTCLOUD_SESSION_TOKEN", s->env_token, dir);
		set_or_unset("TENCENTCLOUD_CREDENTIALS_FILE", s->env_file, dir);
		o.secret_key_file = dir_of(dir, o.secret_key_file, b1, sizeof b1);
		o.session_token_file = dir_of(dir, o.session_token_file, b2, sizeof b2);
		o.credentials_file = dir_of(dir, o.credentials_file, b3, sizeof b3);
		(void)b4;

		memset(msg, 'x', sizeof why.text);
		memset(warn, 'x', sizeof warning.text);
		enum creds_err rc = creds_load(&o, &c, &why, &warning);
		is_int(rc, s->rc, "%s: result (%.300s)", s->name, msg);
		if (s->rc == CREDS_OK) {
			is_str(c.secret_id, s->id, "%s: secret id", s->name);
			is_str(c.secret_key, s->key, "%s: secret key", s->name);
			if (s->token) is_str(c.token, s->token, "%s: token", s->name);
			if (s->source)
				ok(c.source && strstr(c.source, s->source), "%s: source '%s'",
				   s->name, c.source);
			if (s->cvm) is_str(c.cvm_role, s->cvm, "%s: CVM role", s->name);
			if (s->arn) is_str(c.role_arn, s->arn, "%s: role ARN", s->name);
			if (s->session)
				is_str(c.role_session_name, s->session, "%s: session name",
				       s->name);
			if (s->identity) is_str(c.identity, s->identity, "%s: identity", s->name);
			ok(!leaks(c.identity), "%s: no secret in the identity", s->name);
		} else {
			ok(strstr(msg, s->msg) != NULL, "%s: message '%.300s' has '%s'", s->name,
			   msg, s->msg);
			ok(c.secret_key[0] == '\0' && c.token[0] == '\0' && c.secret_id[0] == '\0',
			   "%s: nothing left in the struct on error", s->name);
		}
		if (s->warn && !s->warn[0])
			is_str(warn, "", "%s: no warning", s->name);
		else if (s->warn)
			ok(strstr(warn, s->warn) != NULL, "%s: warning '%.300s'", s->name, warn);
		ok(!leaks(msg) && !leaks(warn) && !leaks(c.source ? c.source : ""),
		   "%s: no secret in message, warning or source", s->name);
		creds_wipe(&c);
		static const struct creds zero;
		ok(memcmp(c.secret_key, zero.secret_key, sizeof c.secret_key) == 0 &&
		       memcmp(c.token, zero.token, sizeof c.token) == 0,
		   "%s: creds_wipe zeroes", s->name);
	}

	/* NULL message buffers are tolerated. */
	{
		struct creds_opts o = {.secret_id = "AKID"};
		static struct creds c;
		is_int(creds_load(&o, &c, NULL, NULL), CREDS_ERR_USAGE, "no message buffer");
	}

	/* HOME unset or empty: the passwd entry's home of the effective uid. */
	{
		struct passwd *pw = getpwuid(geteuid());
		char want[700], path[400];
		snprintf(path, sizeof path, "%s/.tencentcloud/credentials", pw ? pw->pw_dir : "");
		if (!pw || access(path, F_OK) == 0) {
			printf("ok %d # SKIP no passwd entry, or %s exists\n", ++tap_n, path);
			printf("ok %d # SKIP (as above)\n", ++tap_n);
		} else {
			for (int empty = 0; empty < 2; empty++) {
				struct creds_opts o = {.profile = "prod"};
				static struct creds c;
				struct msg why;
				unsetenv("TENCENTCLOUD_SECRET_ID");
				unsetenv("TENCENTCLOUD_SECRET_KEY");
				unsetenv("TENCENTCLOUD_CREDENTIALS_FILE");
				if (empty)
					setenv("HOME", "", 1);
				else
					unsetenv("HOME");
				snprintf(want, sizeof want, "there is no %s (HOME is not set",
				         path);
				creds_load(&o, &c, &why, NULL);
				ok(strstr(why.text, want) != NULL,
				   "HOME %s: looks in the passwd home: %.300s",
				   empty ? "empty" : "unset", why.text);
			}
		}
	}

	/* The role name rule shared by --cvm-role and the metadata answer. */
	{
		static const struct {
			const char *s;
			int ok;
		} names[] = {{"ssl-check", 1}, {"A+=,.@_-9", 1}, {"", 0},  {"a b", 0},
		             {"a/b", 0},       {"r\n", 0},       {"é", 0}, {NULL, 0}};
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			is_int(creds_role_name_ok(names[i].s), names[i].ok, "role name %zu", i);
		char long_name[200];
		memset(long_name, 'r', sizeof long_name);
		long_name[128] = '\0';
		is_int(creds_role_name_ok(long_name), 1, "role name of 128 bytes");
		long_name[128] = 'r';
		long_name[129] = '\0';
		is_int(creds_role_name_ok(long_name), 0, "role name of 129 bytes");
	}

	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0) printf("# could not remove %s\n", root);
	return tap_done();
}
