/* Convenience umbrella for generic kernel code. */
#ifndef PAGODA_KERNEL_H
#define PAGODA_KERNEL_H
#include <pagoda/types.h>
#include <pagoda/printk.h>
#include <pagoda/panic.h>
#include <pagoda/string.h>
#endif
