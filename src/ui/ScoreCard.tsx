// The score card at the end of a session: the same text renderer as `sdcoach grade`, so the
// terminal card and the command agree line for line.
import { Box, Text } from 'ink';
import React from 'react';
import { styler } from '../commands/style.js';
import { renderCard } from '../grading/render/card.js';
import type { GradeReport } from '../schemas/report.js';

export interface ScoreCardProps {
  report: GradeReport;
  width: number;
  color?: boolean;
}

export function renderScoreCard(report: GradeReport, color = true, width?: number): string {
  return renderCard(report, styler(color), width === undefined ? {} : { width }).replace(/\s+$/, '');
}

export function ScoreCard({ report, width, color = true }: ScoreCardProps): React.JSX.Element {
  return (
    <Box flexDirection="column" width={width} marginTop={1}>
      <Text>{renderScoreCard(report, color, width)}</Text>
    </Box>
  );
}

export default ScoreCard;
