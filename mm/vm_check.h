/* vm_check: a cross-check of the mm state, behind the `vm_check` verb.
 *
 *   vm_check_run()  -> every checker of vm_checkers[] (mm/vm_check.c) in
 *                      turn, zone locks held; the first inconsistency
 *                      stops the run and is described in msg
 *   `vm_check`      -> "vm_check: ok" or "vm_check: FAIL: <checker>: <what>"
 *
 * A checker returns true when its part of the state is consistent, else
 * calls vm_check_fail() (which names pfn/section/values) and returns false.
 * A subsystem with state to cross-check (hugetlb pools, memory blocks)
 * declares its checker here and adds one row to vm_checkers[]. */
#ifndef MM_VM_CHECK_H
#define MM_VM_CHECK_H
#include <pagoda/types.h>

#define VM_CHECK_MSG_SIZE 256

struct vm_check {
	const char *checker;             /* name of the checker running */
	char *msg;                       /* its first inconsistency */
	size_t size;
};

/* Record the inconsistency in c->msg as "<checker>: <fmt...>"; returns
 * false so a checker can `return vm_check_fail(c, ...)`. */
bool vm_check_fail(struct vm_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run every checker.  0 when all pass; -1 with the first inconsistency in
 * msg (NUL-terminated, at most size bytes).  Takes every zone lock, so the
 * caller must hold none.  The shell verb and the tests call this. */
int vm_check_run(char *msg, size_t size);

/* Checkers of other subsystems (rows of vm_checkers[]). */
bool hugetlb_vm_check(struct vm_check *c);          /* mm/hugetlb_check.c */
#endif
