/* Shared by the fuzz harnesses (tests/fuzz/fuzz_*.c).
 *
 *   clang -fsanitize=fuzzer,address,undefined  fuzz_T.c + sources  -> build/fuzz/T
 *   gcc -fsanitize=address,undefined replay.c fuzz_T.c + sources   -> build/host/tests/fuzz_T
 *
 * A harness defines LLVMFuzzerTestOneInput() and the fakes its parser
 * needs; it checks the parser's promises with FUZZ_ASSERT (a broken
 * promise aborts, so libFuzzer and the replay both report it as a crash). */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond, ...) do { if (!(cond)) { \
	fprintf(stderr, "fuzz: %s:%d: broken promise: %s: ", __FILE__, __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* A malloc'ed copy of data[0, size) of exactly size bytes (ASan then sees
 * any read past the end), or a NUL-terminated one with size + 1 bytes. */
static inline void *fuzz_dup(const uint8_t *data, size_t size, int nul)
{
	unsigned char *p = malloc(size + (nul ? 1 : 0) + (size == 0 && !nul));
	for (size_t i = 0; i < size; i++)
		p[i] = data[i];
	if (nul)
		p[size] = '\0';
	return p;
}
#endif
