/** Leaders and the committee start at the year at a glance (总览); everyone else at their workbench. */
export const HOME_OVERVIEW_ROLES = ['leader', 'committee'];
