/* Basic types shared by kernel, mm/ and the host build.  Only freestanding
 * compiler headers are used, so this file compiles both in the kernel
 * (-ffreestanding) and in host unit tests. */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;
typedef u64 phys_addr_t;   /* a physical address */
typedef u64 pfn_t_;        /* (unused name kept free for a typed pfn later) */

#define ARRAY_SIZE(a)        (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)       (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)     ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)     (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)            ((a) < (b) ? (a) : (b))
#define MAX(a, b)            ((a) > (b) ? (a) : (b))
#define SZ_1K   0x400UL
#define SZ_4K   0x1000UL
#define SZ_1M   0x100000UL
#define SZ_2M   0x200000UL
#define SZ_128M 0x8000000UL
#define SZ_1G   0x40000000UL

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define __unused     __attribute__((unused))
#define __packed     __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __noreturn   __attribute__((noreturn))
#define __section(s) __attribute__((section(s)))
#define __used       __attribute__((used))
#define likely(x)    __builtin_expect(!!(x), 1)
#define unlikely(x)  __builtin_expect(!!(x), 0)

#define EINVAL 22
#define ENOMEM 12
#define EFAULT 14
#define EBUSY  16
#define ENOENT 2
#define EEXIST 17
#define ERANGE 34
#define EPERM  1
#define ENOSPC 28
#define ENODEV 19
#endif
