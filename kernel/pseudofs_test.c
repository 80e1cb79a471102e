/* Selftests for the pseudo-file registry and the shell's echo redirect. */
#include <pagoda/selftest.h>
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include <pagoda/printk.h>
#include <pagoda/string.h>

static char pseudofs_test_val[32];

static int pseudofs_test_store(const char *val, void *priv)
{
	if (strcmp(val, "bad") == 0)
		return shell_error("selftest: value 'bad' rejected (expected)");
	strlcpy(pseudofs_test_val, val, sizeof(pseudofs_test_val));
	return 0;
}

static int pseudofs_test_show(struct seq *s, void *priv)
{
	return seq_printf(s, "%s\n", (const char *)priv);
}

SELFTEST(pseudofs_registry)
{
	EXPECT(pseudofs_register("/selftest/a/x", pseudofs_test_show, NULL, "x") == 0);
	EXPECT(pseudofs_register("/selftest/a/x", pseudofs_test_show, NULL, "x") == -EEXIST);
	EXPECT(pseudofs_register("relative", pseudofs_test_show, NULL, NULL) == -EINVAL);
	EXPECT(pseudofs_register("/selftest/dir/", pseudofs_test_show, NULL, NULL) == -EINVAL);
	EXPECT(pseudofs_register("/selftest/b", NULL, pseudofs_test_store, NULL) == 0);
	EXPECT(shell_exec_line("cat /selftest/a/x") == 0);
	EXPECT(shell_exec_line("ls /selftest") == 0);
	EXPECT(pseudofs_unregister("/selftest/b") == 0);
	EXPECT(pseudofs_unregister("/selftest/b") == -ENOENT);
	pseudofs_unregister_dir("/selftest");
	EXPECT(pseudofs_unregister("/selftest/a/x") == -ENOENT);
}

SELFTEST(shell_echo_redirect)
{
	EXPECT(pseudofs_register("/selftest/w", NULL, pseudofs_test_store, NULL) == 0);
	EXPECT(shell_exec_line("echo \"a  b\" c >/selftest/w") == 0);
	EXPECT(strcmp(pseudofs_test_val, "a  b c") == 0);
	EXPECT(shell_exec_line("echo 12 > /selftest/w") == 0 && strcmp(pseudofs_test_val, "12") == 0);
	printk("# the next error lines are expected\n");
	EXPECT(shell_exec_line("echo bad > /selftest/w") != 0 && strcmp(pseudofs_test_val, "12") == 0);
	EXPECT(shell_exec_line("echo 1 > /selftest/nonexistent") != 0);
	EXPECT(shell_exec_line("echo 1 >") != 0);
	EXPECT(shell_exec_line("cat /selftest/w") != 0);
	EXPECT(shell_exec_line("no_such_command") != 0);
	EXPECT(pseudofs_unregister("/selftest/w") == 0);
}
