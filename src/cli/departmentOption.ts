import { z } from 'zod';
import { DEPARTMENTS, departmentOfWord, type Department } from '../domain/departments';

/** `--department 教育` or `--department education`. */
export const departmentOption = z.string().transform((word, ctx): Department => {
  const department = (DEPARTMENTS as string[]).includes(word) ? (word as Department) : departmentOfWord(word);
  if (!department) {
    ctx.addIssue({ code: 'custom', message: `is not a department; one of ${DEPARTMENTS.join(', ')}` });
    return z.NEVER;
  }
  return department;
});
