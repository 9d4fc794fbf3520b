/* minstret.h: exact retired-instruction counts on RV32 under QEMU.
 *
 * Run QEMU with `-icount shift=0`: then minstret counts guest instructions
 * exactly and identically from run to run. The assembler (binutils with
 * -march=rv32imc, no zicsr) refuses `csrr`, so the CSR read is spelled as a raw
 * SYSTEM instruction: csrrs rd, minstret(0xB02), x0. 0xB02 as a signed 12-bit
 * immediate is -1278; funct3 2 = CSRRS.
 *
 * rdminstret() reads the low 32 bits (enough for one measured region: 4.29e9).
 * rdminstret64() reads minstreth:minstret (0xB82 = -1150) without tearing.
 * On other architectures both return 0 so shared code still compiles.
 */
#ifndef QEMU_RV32_MINSTRET_H
#define QEMU_RV32_MINSTRET_H

#include <stdint.h>

#if defined(__riscv) && __riscv_xlen == 32
static inline uint32_t rdminstret(void)
{
    uint32_t v;
    __asm__ volatile (".insn i 0x73, 2, %0, x0, -1278" : "=r"(v));
    return v;
}
static inline uint32_t rdminstreth(void)
{
    uint32_t v;
    __asm__ volatile (".insn i 0x73, 2, %0, x0, -1150" : "=r"(v));
    return v;
}
static inline uint64_t rdminstret64(void)
{
    uint32_t hi, lo, hi2;
    do {
        hi = rdminstreth();
        lo = rdminstret();
        hi2 = rdminstreth();
    } while (hi != hi2);
    return ((uint64_t)hi << 32) | lo;
}
#define HAVE_MINSTRET 1
#else
static inline uint32_t rdminstret(void) { return 0; }
static inline uint64_t rdminstret64(void) { return 0; }
#define HAVE_MINSTRET 0
#endif

#endif /* QEMU_RV32_MINSTRET_H */
