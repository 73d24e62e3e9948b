BEGIN { FS="," } { total += $2; names = names $1 " " } END { printf "%d rows, total %d, names %s\n", NR, total, names }
