/*
 * The start of a bare guest kernel (guest/*-image.S): the arm64 Image
 * header, which libxenguest's loader checks, with a text_offset of 0 (so
 * it is loaded at GUEST_RAM0_BASE) and the image's size up to the
 * including file's "end" label; the code goes on at "entry", at EL1 with
 * the MMU off.
 */
    .text
    .globl _start
_start:
    b       entry               /* code0 */
    .long   0                   /* code1 */
    .quad   0                   /* text_offset */
    .quad   end - _start        /* image_size */
    .quad   0xa                 /* flags: little endian, 4K, anywhere */
    .quad   0, 0, 0             /* res2..res4 */
    .ascii  "ARM\x64"           /* magic */
    .long   0                   /* res5 */
entry:
