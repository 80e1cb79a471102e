/* Running one shell line: tokenize, find the command, call it.
 *
 *   echo "a b" >/sys/x      ->  argv = { "echo", "a b" }, redirect "/sys/x"
 *   \__/ \___/ \_______/
 *   word quoted  '>' outside quotes starts the redirect target
 *
 * Words are separated by spaces; double quotes group and are removed.
 * Only `echo VALUE > PATH` may redirect: it writes VALUE to the pseudo-file
 * instead of printing it.  Commands come from section pagoda_cmds. */
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>
#include <pagoda/pseudofs.h>

#define SHELL_EXEC_MAX 256

extern const struct shell_cmd __start_pagoda_cmds[], __stop_pagoda_cmds[];

struct shell_words {
	char buf[SHELL_EXEC_MAX];      /* the words, NUL-separated */
	char *argv[SHELL_MAX_ARGS + 1];
	int argc;
	char *redirect;                /* word after an unquoted '>', or NULL */
	int nr_redirects;
	bool redirect_dangling;        /* '>' not followed by a word */
};

int shell_error(const char *fmt, ...)
{
	va_list ap;

	printk_ensure_newline();
	printk("error: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	return -1;
}

/* Copy one word starting at *sp into *dp (quotes removed); stop at an
 * unquoted space or '>'.  Returns -1 on an unterminated quote. */
static int shell_copy_word(const char **sp, char **dp)
{
	const char *s = *sp;
	char *d = *dp;
	bool quoted = false;

	for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '>')); s++) {
		if (*s == '"')
			quoted = !quoted;
		else
			*d++ = *s;
	}
	*d++ = '\0';
	*sp = s;
	*dp = d;
	return quoted ? -1 : 0;
}

/* Split line into w.  Returns 0 or prints one error line and returns -1. */
static int shell_tokenize(const char *line, struct shell_words *w)
{
	char *d = w->buf;
	bool to_redirect = false;

	memset(w, 0, sizeof(*w));
	if (strlen(line) >= sizeof(w->buf))
		return shell_error("line too long (max %zu characters)", sizeof(w->buf) - 1);
	for (;;) {
		char *word = d;
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			break;
		if (*line == '>') {
			line++;
			w->nr_redirects++;
			to_redirect = true;
			continue;
		}
		if (shell_copy_word(&line, &d))
			return shell_error("unterminated quote");
		if (to_redirect && !w->redirect) {
			w->redirect = word;
			to_redirect = false;
		} else if (w->redirect) {
			return shell_error("only one word may follow '>'");
		} else if (w->argc == SHELL_MAX_ARGS) {
			return shell_error("too many arguments (max %d)", SHELL_MAX_ARGS);
		} else {
			w->argv[w->argc++] = word;
		}
	}
	w->redirect_dangling = to_redirect;
	return 0;
}

/* The command named name, or NULL. */
const struct shell_cmd *shell_find_cmd(const char *name)
{
	for (const struct shell_cmd *c = __start_pagoda_cmds; c < __stop_pagoda_cmds; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* `echo WORDS > PATH`: join the words with single spaces and store them. */
static int shell_echo_redirect(struct shell_words *w)
{
	char value[SHELL_EXEC_MAX];
	size_t len = 0;

	if (w->argc == 0 || strcmp(w->argv[0], "echo") != 0)
		return shell_error("%s: output redirection works only with echo",
				   w->argc ? w->argv[0] : "'>'");
	if (w->nr_redirects != 1 || !w->redirect || w->redirect_dangling)
		return shell_error("echo: usage: echo VALUE > PATH");
	value[0] = '\0';
	for (int i = 1; i < w->argc; i++)
		len += ksnprintf(value + len, sizeof(value) - len, "%s%s",
				 i > 1 ? " " : "", w->argv[i]);
	return pseudofs_write(w->redirect, value);
}

int shell_exec_line(const char *line)
{
	struct shell_words w;
	const struct shell_cmd *cmd;
	int rc;

	if (shell_tokenize(line, &w))
		return -1;
	if (w.nr_redirects)
		return shell_echo_redirect(&w);
	if (w.argc == 0)
		return 0;
	cmd = shell_find_cmd(w.argv[0]);
	if (!cmd)
		return shell_error("unknown command '%s'", w.argv[0]);
	rc = cmd->fn(w.argc, w.argv);
	printk_ensure_newline();
	return rc;
}
