# make mutate: mutation testing of mm/ against the host unit tests and the mm boot tests
# (tools/mutate.py; a private copy of HEAD under /tmp, never this tree).
#   MUTATE_FILES  files to mutate (default: the five of issue 10)
#   MUTATE_N      mutants per file (default 50)
#   MUTATE_SEED   sampling seed (default 7, the published run)
#   MUTATE_BOOT   1 (default, the published run): survivors of the host tests
#                 also run the seven mm boot tests (x86_64 SeaBIOS); 0: host only
#   MUTATE_ONLY   FILE:LINE[,...]: every site on those lines, no sampling
# Report: build/mutate/report.txt.  Runs under nice -n 19.
MUTATE_FILES ?= mm/buddy.c mm/sparse.c mm/sparse_vmemmap.c mm/memory_hotplug.c mm/hugetlb_vmemmap.c
MUTATE_N     ?= 50
MUTATE_SEED  ?= 7
MUTATE_BOOT  ?= 1
MUTATE_ONLY  ?=

.PHONY: mutate
mutate:
	nice -n 19 python3 tools/mutate.py --files "$(MUTATE_FILES)" -n $(MUTATE_N) \
		--seed $(MUTATE_SEED) --boot $(MUTATE_BOOT) --only "$(MUTATE_ONLY)" --report build/mutate/report.txt
